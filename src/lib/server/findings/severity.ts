import { severities, type Severity } from './scan-report';

/**
 * A CVSS-like score as GitHub code scanning reads SARIF `security-severity` (≥ 9 critical,
 * ≥ 7 high, ≥ 4 medium, > 0 low, 0 none); null for anything that is not a score from 0 to 10.
 */
export function severityFromScore(score: unknown): Severity | null {
	const n =
		typeof score === 'number'
			? score
			: typeof score === 'string' && /^[0-9.]+$/.test(score.trim())
				? Number(score)
				: NaN;
	if (!Number.isFinite(n) || n < 0 || n > 10) return null;
	if (n >= 9) return 'critical';
	if (n >= 7) return 'high';
	if (n >= 4) return 'medium';
	return n > 0 ? 'low' : 'none';
}

const words = new Map<string, Severity>(
	Object.entries({
		critical: 'critical',
		high: 'high',
		medium: 'medium',
		moderate: 'medium',
		low: 'low',
		none: 'none',
		// CycloneDX: informational, no risk of its own.
		info: 'none'
	} satisfies Record<string, Severity>)
);

/** A severity named in words ("CRITICAL", "moderate", CycloneDX's "info"); null for others ("unknown"). */
export function severityFromWord(word: unknown): Severity | null {
	if (typeof word !== 'string') return null;
	return words.get(word.trim().toLowerCase()) ?? null;
}

const levels = new Map<unknown, Severity>([
	['error', 'high'],
	['warning', 'medium'],
	['note', 'low'],
	['none', 'none']
]);

/** A SARIF level (error → high, warning → medium, note → low, none → none); null for others. */
export function severityFromLevel(level: unknown): Severity | null {
	return levels.get(level) ?? null;
}

/** The more severe of two severities. */
export function higherSeverity(a: Severity, b: Severity): Severity {
	return severities.indexOf(a) <= severities.indexOf(b) ? a : b;
}
