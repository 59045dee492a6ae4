/**
 * What one upload from a pipeline says, once read: the contract between the readers of the
 * formats (SARIF 2.1.0, CycloneDX 1.4–1.6; pure, no database) and the code that records a scan
 * and keeps each analysis's findings (first and last seen, fixed, reopened).
 *
 * Everything here came from untrusted input: strings are bounded and free of control
 * characters by the reader, never rendered as HTML (help goes through the safe markdown
 * renderer), and file locations are never links unless the repository has a web address.
 */

export const severities = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type Severity = (typeof severities)[number];

/** A tool named by the log (SARIF `tool.driver`, CycloneDX `metadata.tools`). */
export interface ScannedTool {
	name: string;
	version: string | null;
}

/** Where a finding is, as the tool reports it (a path inside the repository). */
export interface FindingLocation {
	path: string | null;
	startLine: number | null;
	endLine: number | null;
}

/** One result of one run, normalised. */
export interface ReportedFinding {
	/** The tool's own fingerprint where it gives one, else a stable hash of rule, location and message. */
	key: string;
	tool: ScannedTool;
	ruleId: string;
	ruleName: string | null;
	severity: Severity;
	message: string;
	/** The rule's help as markdown (SARIF `help.markdown`, else `help.text`), untrusted. */
	help: string | null;
	location: FindingLocation;
	/** A SARIF suppression in effect (kind and justification), or null. */
	suppressed: { kind: string; justification: string | null } | null;
}

/** One upload, read. `runs` lets a log with two runs of two tools report both. */
export interface ScanReport {
	format: 'sarif' | 'cyclonedx';
	tools: ScannedTool[];
	findings: ReportedFinding[];
	/** CycloneDX only: how many components the SBOM lists. */
	components: number | null;
}

/** Why a body was not accepted: a message a CI log reader understands (answered as 400). */
export class ScanFormatError extends Error {}
