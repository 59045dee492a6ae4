import { createHash } from 'node:crypto';
import type { ReportedFinding, ScannedTool } from './scan-report';
import { higherSeverity } from './severity';

/** A finding's key: sha256 (hex) of its parts, written as JSON so no two lists of parts run together. */
export function findingKey(parts: readonly (string | number | null)[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * The findings of one upload, one per key. A result whose key was seen before is the same
 * finding: the first one's text and location stay, the severity is the highest reported, and
 * the finding is suppressed only while every result of it is.
 */
export class FindingSet {
	readonly #byKey = new Map<string, ReportedFinding>();
	readonly #tools = new Map<string, ScannedTool>();

	add(finding: ReportedFinding): void {
		const seen = this.#byKey.get(finding.key);
		if (!seen) {
			this.#byKey.set(finding.key, finding);
			return;
		}
		seen.severity = higherSeverity(seen.severity, finding.severity);
		if (!finding.suppressed) seen.suppressed = null;
	}

	/** Records a tool once per name and version. */
	addTool(tool: ScannedTool): void {
		const id = JSON.stringify([tool.name, tool.version]);
		if (!this.#tools.has(id)) this.#tools.set(id, tool);
	}

	get findings(): ReportedFinding[] {
		return [...this.#byKey.values()];
	}

	get tools(): ScannedTool[] {
		return [...this.#tools.values()];
	}
}
