import type { Coverage } from './claim';

/** The facts behind a criterion's evidence rule as pages show them (category names, not ids). */
export interface ShownFacts extends Coverage {
	/** The tools that ran as the rule asks, by name. */
	tools: string[];
	/** The repositories without such a run. */
	missing: string[];
	/** The names of the tool categories that count. */
	categories: string[];
	branch: 'default' | 'pull-requests' | 'any';
	maxAgeDays: number;
}

const listed = (xs: readonly string[], last: 'and' | 'or') =>
	xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} ${last} ${xs[xs.length - 1]}`;

const repositories = (n: number) => `${n} ${n === 1 ? 'repository' : 'repositories'}`;

/** "in the last 30 days", "in the last day". */
export const period = (days: number) =>
	days === 1 ? 'in the last day' : `in the last ${days} days`;

const refs = { default: ' on the default branch', 'pull-requests': ' on pull requests', any: '' };

/** "Grype ran on 3 of 4 repositories in the last 30 days" (and the refs when the rule names them). */
export function factsSentence(f: ShownFacts): string {
	const where = `${period(f.maxAgeDays)}${refs[f.branch]}`;
	if (!f.tools.length)
		return `No ${listed(f.categories, 'or')} tool ran on any of the ${repositories(f.repositories)} ${where}`;
	return `${listed(f.tools, 'and')} ran on ${f.covered} of ${repositories(f.repositories)} ${where}`;
}

/** Why a "most" or "all" answer is contradicted, in words. */
export function contradictionSentence(value: number | null, f: ShownFacts): string {
	const answer = value === 1 ? 'All' : 'Most';
	const ran =
		f.covered === 0
			? 'no repository had a qualifying run'
			: value === 1
				? `only ${f.covered} of ${repositories(f.repositories)} had a qualifying run`
				: `fewer than half the repositories had a qualifying run (${f.covered} of ${f.repositories})`;
	return `the answer is “${answer}”, but ${ran}`;
}

/** The first few repositories without a run, and how many more. */
export function missingList(missing: readonly string[], shown = 5): string {
	if (missing.length <= shown) return missing.join(', ');
	return `${missing.slice(0, shown).join(', ')} and ${missing.length - shown} more`;
}

/** "today", "yesterday", "2 days ago". */
export function daysAgo(days: number): string {
	if (days <= 0) return 'today';
	return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** "last ran in a pipeline 2 days ago (payments/api, main)". */
export function lastRanSentence(run: { daysAgo: number; repository: string; ref: string }): string {
	return `last ran in a pipeline ${daysAgo(run.daysAgo)} (${run.repository}, ${run.ref})`;
}
