/**
 * A team's findings page in words and paths, shared by the server and the pages: severity and
 * state labels, the list's filters and where the page and its export live.
 */
import type { Severity } from '$lib/server/findings/scan-report';

export const severityList = [
	'critical',
	'high',
	'medium',
	'low',
	'none'
] as const satisfies readonly Severity[];

export const severityLabels: Record<Severity, string> = {
	critical: 'Critical',
	high: 'High',
	medium: 'Medium',
	low: 'Low',
	none: 'None'
};

/**
 * Which findings the list shows. They do not overlap: open (reported, neither suppressed by the
 * tool nor dismissed by the team), suppressed (by the tool), dismissed (by the team; a dismissed
 * finding stays dismissed while it is reported), fixed (no longer reported).
 */
export const findingViews = ['open', 'suppressed', 'dismissed', 'fixed'] as const;
export type FindingView = (typeof findingViews)[number];

export const findingViewLabels: Record<FindingView, string> = {
	open: 'Open',
	suppressed: 'Suppressed by the tool',
	dismissed: 'Dismissed by the team',
	fixed: 'Fixed'
};

/** Upper bounds (days, exclusive) of the age groups of open critical and high findings; the last group has none. */
export const AGE_BOUNDS = [7, 30, 90, 180] as const;
export const ageLabels = [
	'under 7 days',
	'7–29 days',
	'30–89 days',
	'90–179 days',
	'180 days or more'
];

/** What the list is filtered by; null is "any". */
export interface FindingFilters {
	view: FindingView;
	severity: Severity | null;
	tool: string | null;
	repository: string | null;
	text: string | null;
}

/** The longest search text kept from an address (longer text is cut to this). */
export const FINDING_TEXT_MAX = 200;

/** Filters as query parameters, leaving out the defaults (so links stay short). */
export function filterQuery(filters: FindingFilters, page = 1): URLSearchParams {
	const params = new URLSearchParams();
	if (filters.view !== 'open') params.set('state', filters.view);
	if (filters.severity) params.set('severity', filters.severity);
	if (filters.tool) params.set('tool', filters.tool);
	if (filters.repository) params.set('repository', filters.repository);
	if (filters.text) params.set('q', filters.text);
	if (page > 1) params.set('page', String(page));
	return params;
}

const withQuery = (path: string, params: URLSearchParams) =>
	params.size ? `${path}?${params}` : path;

/** A team's findings page, with its filters and page. */
export function findingsPath(slug: string, filters?: FindingFilters, page = 1): string {
	const path = `/teams/${encodeURIComponent(slug)}/findings`;
	return filters ? withQuery(path, filterQuery(filters, page)) : path;
}

/** The CSV export of the list as filtered (every page). */
export function findingsCsvPath(slug: string, filters: FindingFilters): string {
	return withQuery(`/teams/${encodeURIComponent(slug)}/findings.csv`, filterQuery(filters));
}

/**
 * Back to a team's findings list as the form's page showed it (its address without the action),
 * saying which finding was just dismissed or pointing at one.
 */
export function backToFindings(
	slug: string,
	search: URLSearchParams,
	opts: { dismissed?: string; anchor?: string } = {}
): string {
	const params = new URLSearchParams(search);
	for (const key of [...params.keys()])
		if (key.startsWith('/') || key === 'dismissed') params.delete(key);
	if (opts.dismissed) params.set('dismissed', opts.dismissed);
	const path = withQuery(`/teams/${encodeURIComponent(slug)}/findings`, params);
	return opts.anchor ? `${path}#finding-${opts.anchor}` : path;
}
