import {
	ageLabels,
	AGE_BOUNDS,
	FINDING_TEXT_MAX,
	findingViews,
	severityList,
	type FindingFilters,
	type FindingView
} from '$lib/findings';
import type { Severity } from './scan-report';

/*
 * The team findings page's figures and rules, pure (no database): the queries in
 * team-findings.ts return grouped rows and these turn them into what the page shows, so each
 * rule is tested on its own.
 */

/** Findings per page of the list. */
export const FINDINGS_PAGE_SIZE = 50;
/** Weeks in the new-and-fixed chart, this one included. */
export const CHART_WEEKS = 12;

const DAY = 86_400_000;

/** The age group (index into ageLabels) of a finding first seen `days` ago. */
export function ageGroup(days: number): number {
	const i = AGE_BOUNDS.findIndex((bound) => days < bound);
	return i === -1 ? AGE_BOUNDS.length : i;
}

/** One group of the team's reported findings, as the facet query counts them. */
export interface FacetRow {
	/** open, suppressed or dismissed (fixed ones are not reported and counted apart). */
	view: Exclude<FindingView, 'fixed'>;
	severity: Severity;
	analysisId: string;
	/** The age group of open critical and high findings; null for the others. */
	age: number | null;
	n: number;
	/** Days since the oldest of the group was first seen. */
	oldestDays: number;
}

/** An analysis (repository × tool × category) of the team, with names. */
export interface AnalysisName {
	id: string;
	tool: string;
	category: string;
	repositoryId: string;
	repository: string;
	/** The repository's, for links to files (see locationLink). */
	webAddress: string | null;
	defaultBranch: string;
}

const isOneOf = <T extends string>(list: readonly T[], value: string | null): value is T =>
	value !== null && (list as readonly string[]).includes(value);

/**
 * The list's filters and page from the address. A value the page never offers (an unknown
 * severity, state, tool or repository, a page that is not a whole number) is ignored, not
 * refused: the page shows the list without that filter.
 */
export function readFilters(
	params: URLSearchParams,
	known: { tools: readonly string[]; repositories: readonly string[] }
): { filters: FindingFilters; page: number } {
	const state = params.get('state');
	const severity = params.get('severity');
	const tool = params.get('tool');
	const repository = params.get('repository');
	const text = (params.get('q') ?? '').trim().slice(0, FINDING_TEXT_MAX).trim();
	const page = Number(params.get('page') ?? '1');
	return {
		filters: {
			view: isOneOf(findingViews, state) ? state : 'open',
			severity: isOneOf(severityList, severity) ? severity : null,
			tool: isOneOf(known.tools, tool) ? tool : null,
			repository: isOneOf(known.repositories, repository) ? repository : null,
			text: text || null
		},
		page: Number.isSafeInteger(page) && page >= 1 ? page : 1
	};
}

/** The analyses a tool or repository filter keeps (all when neither is set). */
export function analysesFor(
	analyses: readonly AnalysisName[],
	filters: Pick<FindingFilters, 'tool' | 'repository'>
): string[] | null {
	if (!filters.tool && !filters.repository) return null;
	return analyses
		.filter(
			(a) =>
				(!filters.tool || a.tool === filters.tool) &&
				(!filters.repository || a.repository === filters.repository)
		)
		.map((a) => a.id);
}

/** How many reported findings the filters keep, from the facet rows; null when only a query can tell (text, fixed). */
export function countFromFacets(
	rows: readonly FacetRow[],
	filters: FindingFilters,
	analyses: readonly AnalysisName[]
): number | null {
	if (filters.text || filters.view === 'fixed') return null;
	const kept = analysesFor(analyses, filters);
	const inKept = kept && new Set(kept);
	let n = 0;
	for (const r of rows) {
		if (r.view !== filters.view) continue;
		if (filters.severity && r.severity !== filters.severity) continue;
		if (inKept && !inKept.has(r.analysisId)) continue;
		n += r.n;
	}
	return n;
}

const countBy = (pairs: Iterable<[string, number]>) => {
	const out = new Map<string, number>();
	for (const [key, n] of pairs) out.set(key, (out.get(key) ?? 0) + n);
	return [...out]
		.map(([name, n]) => ({ name, n }))
		.sort((a, b) => b.n - a.n || a.name.localeCompare(b.name));
};

/** The page's figures of reported findings: per state, and the open ones per severity, tool, repository and age. */
export function facetFigures(rows: readonly FacetRow[], analyses: readonly AnalysisName[]) {
	const byId = new Map(analyses.map((a) => [a.id, a]));
	const open = rows.filter((r) => r.view === 'open');
	const sum = (xs: readonly FacetRow[]) => xs.reduce((n, r) => n + r.n, 0);
	const severe = ['critical', 'high'] as const;
	return {
		views: {
			open: sum(open),
			suppressed: sum(rows.filter((r) => r.view === 'suppressed')),
			dismissed: sum(rows.filter((r) => r.view === 'dismissed'))
		},
		bySeverity: severityList.map((s) => ({
			severity: s,
			n: sum(open.filter((r) => r.severity === s))
		})),
		byTool: countBy(open.map((r) => [byId.get(r.analysisId)?.tool ?? '?', r.n])),
		byRepository: countBy(open.map((r) => [byId.get(r.analysisId)?.repository ?? '?', r.n])),
		/** Open critical and high findings per age group, and the oldest one's age in days. */
		age: severe.map((severity) => {
			const mine = open.filter((r) => r.severity === severity);
			return {
				severity,
				groups: ageLabels.map((_, i) => sum(mine.filter((r) => r.age === i))),
				oldestDays: mine.length ? Math.max(...mine.map((r) => r.oldestDays)) : null
			};
		})
	};
}

/** The Monday (UTC) of the week holding `at`, as YYYY-MM-DD. */
export function weekOf(at: Date): string {
	const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
	return new Date(day - ((new Date(day).getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
}

/** The first instant the chart counts: the Monday CHART_WEEKS − 1 weeks before this week's. */
export function chartStart(now: Date): Date {
	return new Date(Date.parse(weekOf(now)) - (CHART_WEEKS - 1) * 7 * DAY);
}

/** New and fixed findings per week, for the last CHART_WEEKS weeks (weeks with none as 0). */
export function weeklySeries(
	rows: readonly { kind: 'new' | 'fixed'; week: string; n: number }[],
	now: Date
) {
	const start = chartStart(now).getTime();
	const weeks = Array.from({ length: CHART_WEEKS }, (_, i) =>
		new Date(start + i * 7 * DAY).toISOString().slice(0, 10)
	);
	const count = (kind: 'new' | 'fixed', week: string) =>
		rows.filter((r) => r.kind === kind && r.week === week).reduce((n, r) => n + r.n, 0);
	return {
		weeks,
		new: weeks.map((w) => count('new', w)),
		fixed: weeks.map((w) => count('fixed', w))
	};
}

/**
 * Where a finding's file is on the repository's web host, or null: only for a repository with a
 * known http(s) address and a path inside the repository (no `..`, not absolute, no scheme). The
 * path's segments are encoded, so `#`, `?` and `%` in a file name stay part of it; the form is
 * `<address>/blob/<branch>/<path>#L<line>`, which GitHub and GitLab both serve.
 */
export function locationLink(
	webAddress: string | null,
	defaultBranch: string,
	path: string | null,
	line: number | null
): string | null {
	if (!webAddress || !path) return null;
	let base: URL;
	try {
		base = new URL(webAddress);
	} catch {
		return null;
	}
	if ((base.protocol !== 'https:' && base.protocol !== 'http:') || base.username || base.password)
		return null;
	const segments = path.split('/');
	if (
		path.startsWith('/') ||
		path.includes('\\') ||
		/^[a-z][a-z0-9+.-]*:/i.test(path) ||
		segments.some((s) => s === '' || s === '.' || s === '..')
	)
		return null;
	const encode = (parts: string[]) => parts.map(encodeURIComponent).join('/');
	const root = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
	const anchor = line ? `#L${line}` : '';
	return `${root}/blob/${encode(defaultBranch.split('/'))}/${encode(segments)}${anchor}`;
}

/** A finding's location as text: `path:line` or `path:start-end`; null without a path. */
export function locationText(
	path: string | null,
	startLine: number | null,
	endLine: number | null
): string | null {
	if (!path) return null;
	if (!startLine) return path;
	return endLine && endLine !== startLine
		? `${path}:${startLine}-${endLine}`
		: `${path}:${startLine}`;
}
