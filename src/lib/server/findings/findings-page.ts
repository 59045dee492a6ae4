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
	weeklySeries
} from './findings-view';
import {
	countFindings,
	facetRows,
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
	return { filters, options, figures, list: { total, page, pages, ...shown(rows) } };
}

export type TeamFindingsPage = Awaited<ReturnType<typeof teamFindingsPage>>;

/** Help texts rendered lately: a team's pages show the same few rules' help over and over. */
const renderedHelp = new Map<string, string>();
const RENDERED_HELP_LIMIT = 200;

/** A rule's help (untrusted markdown) by the safe renderer: no raw HTML, only safe links, images as their words. */
function helpHtml(text: string): string {
	let html = renderedHelp.get(text);
	if (html === undefined) {
		html = renderMarkdown(text, { imagesAsText: true }).html;
		if (renderedHelp.size >= RENDERED_HELP_LIMIT)
			renderedHelp.delete(renderedHelp.keys().next().value!);
		renderedHelp.set(text, html);
	}
	return html;
}

/**
 * The rows as the page shows them, each distinct help text once (a page holds a few rules' help
 * many times): the page shows it once, and each finding points to it.
 */
function shown(rows: readonly ListedFinding[]) {
	const helpKeys = new Map<string, number>();
	const help: { rule: string; html: string }[] = [];
	const findings = rows.map((r) => {
		let helpIndex: number | null = null;
		if (r.help?.trim()) {
			helpIndex = helpKeys.get(r.help) ?? null;
			if (helpIndex === null) {
				helpIndex = help.push({ rule: r.ruleName ?? r.ruleId, html: helpHtml(r.help) }) - 1;
				helpKeys.set(r.help, helpIndex);
			}
		}
		const link = locationLink(r.webAddress, r.defaultBranch, r.path, r.startLine);
		return {
			id: r.id,
			severity: r.severity,
			tool: r.tool,
			category: r.category,
			repository: r.repository,
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
