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
	/**
	 * Stable across uploads (sha256, hex): of the tool's fingerprints with tool, rule and path where
	 * it gives them, else of tool, rule, location and message.
	 */
	key: string;
	tool: ScannedTool;
	/** The rule's id (SARIF `ruleId`, CycloneDX vulnerability id); '' when the tool names none (Gitleaks 7). */
	ruleId: string;
	/** The rule's short title (SARIF `shortDescription`, else `name`), or null. */
	ruleName: string | null;
	severity: Severity;
	message: string;
	/** The rule's help as markdown (SARIF `help.markdown`, else `help.text`), untrusted. */
	help: string | null;
	location: FindingLocation;
	/** A SARIF suppression in effect (kind and justification), a CycloneDX VEX "not affected", or null. */
	suppressed: { kind: string; justification: string | null } | null;
}

/**
 * One upload, read: every run of a SARIF log (two runs of two tools report both).
 * `findings` holds one entry per key: results whose keys collide within one upload are one
 * finding (the first one's text and location, the highest severity, suppressed only if every
 * one of them is), so `findings.length <= results - skipped`.
 */
export interface ScanReport {
	format: 'sarif' | 'cyclonedx';
	/** Each distinct tool (name and version) once. */
	tools: ScannedTool[];
	findings: ReportedFinding[];
	/** Results in the upload: SARIF `runs[].results[]` entries, CycloneDX vulnerability × affected component. */
	results: number;
	/**
	 * Results not read as findings: not an object, unreadable (a CycloneDX `affects` entry without
	 * a ref), or SARIF kind `pass` / `notApplicable` (no problem found).
	 */
	skipped: number;
	/** CycloneDX only: how many components the SBOM lists. */
	components: number | null;
}

/** Why a body was not accepted: a message a CI log reader understands (answered as 400). */
export class ScanFormatError extends Error {}
