import type { Database } from '$lib/server/db';
import { renderMarkdown } from '$lib/server/content/markdown';
import { cachedForRevision, dataRevision } from '$lib/server/db/revision';
import { linkHost } from '$lib/link-host';
import {
	FINDINGS_PAGE_SIZE,
	countFromFacets,
	facetFigures,
	locationLink,
	locationText,
	readFilters,
	weeklySeries,
	type AnalysisName
} from './findings-view';
import {
	countFindings,
	facetRows,
	findingHelp,
	findingsPage,
	teamAnalyses,
	weeklyRows,
	type ListedFinding
} from './team-findings';

const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;

/**
 * A team's findings figures: its analyses, the reported findings counted per state, severity,
 * analysis and age, and new and fixed per week. Three statements over every finding of the team.
 */
export async function teamFindingFigures(db: Database, teamId: string, now = new Date()) {
	const [analyses, facets, weekly] = await Promise.all([
		teamAnalyses(db, teamId),
		facetRows(db, teamId, now),
		weeklyRows(db, teamId, now)
	]);
	const figures = facetFigures(facets, analyses);
	const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort((a, b) => a.localeCompare(b));
	return {
		analyses,
		facets,
		options: {
			tools: sorted(analyses.map((a) => a.tool)),
			repositories: sorted(analyses.map((a) => a.repository))
		},
		figures: {
			...figures,
			views: { ...figures.views, fixed: weekly.fixed },
			weekly: weeklySeries(weekly.weeks, now)
		}
	};
}

/**
 * Everything a team's findings page shows for an address's filters: the figures (made once per
 * data revision, as the dashboard's are: a page view then costs the list alone) and one page of
 * the list, which a statement counts only when the figures cannot (a text search, fixed ones).
 */
export async function teamFindingsPage(db: Database, teamId: string, params: URLSearchParams) {
	const revision = await dataRevision(db);
	const { analyses, facets, options, figures } = await cachedForRevision(
		db,
		`findings.figures:${teamId}`,
		revision,
		() => teamFindingFigures(db, teamId),
		'team'
	);
	const { filters, page: asked } = readFilters(params, options);
	const total =
		countFromFacets(facets, filters, analyses) ??
		(await countFindings(db, teamId, filters, analyses));
	const pages = Math.max(1, Math.ceil(total / FINDINGS_PAGE_SIZE));
	// A page past the end shows the last one.
	const page = Math.min(asked, pages);
	const rows = total
		? await findingsPage(db, teamId, filters, analyses, {
				offset: (page - 1) * FINDINGS_PAGE_SIZE,
				limit: FINDINGS_PAGE_SIZE
			})
		: [];
	return {
		filters,
		options,
		figures,
		list: { total, page, pages, ...(await shown(db, teamId, rows, analyses)) }
	};
}

export type TeamFindingsPage = Awaited<ReturnType<typeof teamFindingsPage>>;

/** Help rendered lately, by the digest of its text: a team's pages show the same few rules' help over and over. */
const renderedHelp = new Map<string, string>();
const RENDERED_HELP_LIMIT = 200;

/**
 * The rules' help for a page of findings, each distinct text once, rendered by the safe
 * renderer (no raw HTML, only safe links, images as their words): reads only the texts not
 * rendered lately.
 */
async function helpFor(db: Database, teamId: string, rows: readonly ListedFinding[]) {
	const firstWith = new Map<string, string>();
	for (const r of rows)
		if (r.helpDigest && !firstWith.has(r.helpDigest)) firstWith.set(r.helpDigest, r.id);
	const missing = [...firstWith].filter(([digest]) => !renderedHelp.has(digest));
	const texts = await findingHelp(
		db,
		teamId,
		missing.map(([, id]) => id)
	);
	for (const [digest, id] of missing) {
		const text = texts.find((t) => t.id === id)?.help ?? '';
		if (renderedHelp.size >= RENDERED_HELP_LIMIT)
			renderedHelp.delete(renderedHelp.keys().next().value!);
		renderedHelp.set(digest, renderMarkdown(text, { imagesAsText: true }).html);
	}
	return (digest: string | null) => {
		const html = digest ? renderedHelp.get(digest) : undefined;
		return html?.trim() ? html : null;
	};
}

/**
 * The rows as the page shows them, each distinct help text once (a page holds a few rules' help
 * many times): the page shows it once, and each finding points to it.
 */
async function shown(
	db: Database,
	teamId: string,
	rows: readonly ListedFinding[],
	analyses: readonly AnalysisName[]
) {
	const htmlOf = await helpFor(db, teamId, rows);
	const analysisOf = new Map(analyses.map((a) => [a.id, a]));
	const helpKeys = new Map<string, number>();
	const help: { rule: string; html: string }[] = [];
	const findings = rows.map((r) => {
		let helpIndex: number | null = null;
		const html = htmlOf(r.helpDigest);
		if (html && r.helpDigest) {
			helpIndex = helpKeys.get(r.helpDigest) ?? null;
			if (helpIndex === null) {
				helpIndex = help.push({ rule: r.ruleName ?? r.ruleId, html }) - 1;
				helpKeys.set(r.helpDigest, helpIndex);
			}
		}
		const a = analysisOf.get(r.analysisId);
		const link = a && locationLink(a.webAddress, a.defaultBranch, r.path, r.startLine);
		return {
			id: r.id,
			severity: r.severity,
			tool: a?.tool ?? '',
			category: a?.category ?? '',
			repository: a?.repository ?? '',
			ruleId: r.ruleId,
			ruleName: r.ruleName,
			message: r.message,
			helpIndex,
			location: locationText(r.path, r.startLine, r.endLine),
			link: link && { href: link, host: linkHost(link) },
			state: r.state,
			firstSeen: day(r.firstSeenAt)!,
			lastSeen: day(r.lastSeenAt)!,
			fixed: day(r.fixedAt),
			suppressed: r.suppressed
				? { kind: r.suppressionKind, justification: r.suppressionJustification }
				: null,
			dismissed: r.dismissedAt
				? { at: day(r.dismissedAt)!, by: r.dismissedBy, reason: r.dismissedReason }
				: null
		};
	});
	return { findings, help };
}
