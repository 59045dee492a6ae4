import {
	and,
	asc,
	desc,
	eq,
	inArray,
	isNotNull,
	isNull,
	not,
	or,
	sql,
	type SQL
} from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { preparedQuery } from '$lib/server/db/prepared';
import { rowsOf } from '$lib/server/db/rows';
import { AGE_BOUNDS, type FindingFilters } from '$lib/findings';
import { analysesFor, chartStart, type AnalysisName, type FacetRow } from './findings-view';

/*
 * The queries behind a team's findings page: each one statement, set-based, on the team's
 * indexes (the open findings' partial index, first seen, fixed at). What they return is turned
 * into figures by findings-view.ts.
 */

const f = table.finding;
const DAY = 86_400_000;

/**
 * The team's analyses (repository × tool × category) with the names the page filters by and
 * shows, and the repository's address and branch for links: the list reads none of them per row.
 */
export async function teamAnalyses(db: Database, teamId: string): Promise<AnalysisName[]> {
	return db
		.select({
			id: table.analysis.id,
			tool: table.analysis.toolName,
			category: table.analysis.category,
			repositoryId: table.codeRepository.id,
			repository: table.codeRepository.name,
			webAddress: table.codeRepository.webAddress,
			defaultBranch: table.codeRepository.defaultBranch
		})
		.from(table.analysis)
		.innerJoin(table.codeRepository, eq(table.codeRepository.id, table.analysis.repositoryId))
		.where(eq(table.analysis.teamId, teamId));
}

/**
 * The team's reported (not fixed) findings counted per state, severity and analysis, and for
 * open critical and high ones per age group, in one pass over the open findings' index. Ages
 * are compared as instants (no arithmetic per row: on the embedded database it costs).
 */
export async function facetRows(db: Database, teamId: string, now: Date): Promise<FacetRow[]> {
	const before = (days: number) =>
		sql`${new Date(now.getTime() - days * DAY).toISOString()}::timestamptz`;
	const groups = AGE_BOUNDS.map(
		(days, i) => sql`when ${f.firstSeenAt} > ${before(days)} then ${sql.raw(String(i))}`
	);
	const result = await db.execute(sql`
		select
			case when ${f.dismissedAt} is not null then 'dismissed'
				when ${f.suppressed} then 'suppressed' else 'open' end as "view",
			${f.severity} as "severity",
			${f.analysisId} as "analysisId",
			case when ${f.dismissedAt} is null and not ${f.suppressed}
				and ${f.severity} in ('critical', 'high')
				then case ${sql.join(groups, sql` `)} else ${sql.raw(String(AGE_BOUNDS.length))} end
			end as "age",
			count(*)::int as "n",
			(extract(epoch from min(${f.firstSeenAt})) * 1000)::float8 as "oldest"
		from ${f}
		where ${f.teamId} = ${teamId} and ${f.state} = 'open'
		group by 1, 2, 3, 4`);
	return rowsOf<Omit<FacetRow, 'oldestDays'> & { oldest: number }>(result).map(
		({ oldest, ...r }) => ({
			...r,
			oldestDays: Math.floor((now.getTime() - oldest) / DAY)
		})
	);
}

/**
 * Findings first seen (new) and fixed per week (Monday, UTC) since the chart's first week, and
 * every fixed finding of the team. Suppressed ones are neither new nor fixed: the tool itself
 * says they are no problem; a finding the team dismissed is not counted as fixed.
 */
export async function weeklyRows(db: Database, teamId: string, now: Date) {
	const since = sql`${chartStart(now).toISOString()}::timestamptz`;
	const week = (col: SQL) => sql`date_trunc('week', ${col}, 'UTC')`;
	const result = await db.execute(sql`
		select "kind", to_char("week" at time zone 'UTC', 'YYYY-MM-DD') as "week", "n" from (
			select 'new' as "kind", ${week(sql`${f.firstSeenAt}`)} as "week", count(*)::int as "n"
			from ${f}
			where ${f.teamId} = ${teamId} and ${f.firstSeenAt} >= ${since} and not ${f.suppressed}
			group by 2
			union all
			select 'fixed', ${week(sql`${f.fixedAt}`)}, count(*)::int
			from ${f}
			where ${f.teamId} = ${teamId} and ${f.fixedAt} >= ${since} and not ${f.suppressed}
				and ${f.dismissedAt} is null
			group by 2
			union all
			select 'total', null, count(*)::int
			from ${f}
			where ${f.teamId} = ${teamId} and ${f.fixedAt} is not null
		) as counted`);
	const rows = rowsOf<{ kind: 'new' | 'fixed' | 'total'; week: string | null; n: number }>(result);
	return {
		weeks: rows.filter(
			(r): r is { kind: 'new' | 'fixed'; week: string; n: number } => r.kind !== 'total'
		),
		fixed: rows.find((r) => r.kind === 'total')?.n ?? 0
	};
}

/** `%` and `_` match themselves in a search, and so does the escape character. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

const viewCondition = {
	open: and(eq(f.state, 'open'), not(f.suppressed), isNull(f.dismissedAt))!,
	suppressed: and(eq(f.state, 'open'), eq(f.suppressed, true), isNull(f.dismissedAt))!,
	dismissed: and(eq(f.state, 'open'), isNotNull(f.dismissedAt))!,
	// The partial index on fixed findings has this condition.
	fixed: and(eq(f.state, 'fixed'), isNotNull(f.fixedAt))!
};

/** The SQL condition for the list's filters (the team included). */
export function filterCondition(
	teamId: string,
	filters: FindingFilters,
	analyses: readonly AnalysisName[]
): SQL {
	const view = viewCondition[filters.view];
	const kept = analysesFor(analyses, filters);
	const pattern = filters.text && likePattern(filters.text);
	return and(
		eq(f.teamId, teamId),
		view,
		filters.severity ? eq(f.severity, filters.severity) : undefined,
		kept ? (kept.length ? inArray(f.analysisId, kept) : sql`false`) : undefined,
		pattern
			? or(
					sql`${f.message} ilike ${pattern}`,
					sql`${f.ruleId} ilike ${pattern}`,
					sql`${f.ruleName} ilike ${pattern}`,
					sql`${f.path} ilike ${pattern}`
				)
			: undefined
	)!;
}

/** How many findings the filters keep. */
export async function countFindings(
	db: Database,
	teamId: string,
	filters: FindingFilters,
	analyses: readonly AnalysisName[]
): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(f)
		.where(filterCondition(teamId, filters, analyses));
	return row?.n ?? 0;
}

/** The columns of a finding the list and the export show (its analysis's names come from teamAnalyses). */
const listed = {
	id: f.id,
	severity: f.severity,
	analysisId: f.analysisId,
	ruleId: f.ruleId,
	ruleName: f.ruleName,
	message: f.message,
	path: f.path,
	startLine: f.startLine,
	endLine: f.endLine,
	state: f.state,
	firstSeenAt: f.firstSeenAt,
	lastSeenAt: f.lastSeenAt,
	fixedAt: f.fixedAt,
	suppressed: f.suppressed,
	suppressionKind: f.suppressionKind,
	suppressionJustification: f.suppressionJustification,
	dismissedAt: f.dismissedAt,
	dismissedBy: table.user.name,
	dismissedReason: f.dismissedReason
};

export type ListedFinding = Awaited<ReturnType<typeof findingsPage>>[number];

/**
 * The list's query. Of the rule's help (up to 20,000 characters) only a digest: a page shows a
 * few rules' help many times, read once each with findingHelp; the export shows none.
 */
function listQuery(db: Database, where: SQL, view: FindingFilters['view'], help: boolean) {
	return db
		.select({
			...listed,
			// sha256, not md5: a server in FIPS mode refuses md5.
			helpDigest: help
				? sql<string | null>`encode(sha256(convert_to(${f.help}, 'UTF8')), 'hex')`
				: sql<null>`null`
		})
		.from(f)
		.leftJoin(table.user, eq(table.user.id, f.dismissedBy))
		.where(where)
		.orderBy(
			...(view === 'fixed'
				? [desc(f.fixedAt), asc(f.id)]
				: [asc(f.severity), asc(f.firstSeenAt), asc(f.id)])
		);
}

/** One page of the findings the filters keep: most severe and oldest first (fixed: latest fixed first). */
export async function findingsPage(
	db: Database,
	teamId: string,
	filters: FindingFilters,
	analyses: readonly AnalysisName[],
	page: { offset: number; limit: number }
) {
	const unfiltered =
		filters.view === 'open' &&
		!filters.severity &&
		!filters.tool &&
		!filters.repository &&
		!filters.text;
	if (unfiltered) return openPageQuery(db).execute({ teamId, ...page });
	return listQuery(db, filterCondition(teamId, filters, analyses), filters.view, true)
		.limit(page.limit)
		.offset(page.offset);
}

// The page as most views show it (open, unfiltered): built once per database (db/prepared.ts).
const openPageQuery = (db: Database) =>
	preparedQuery(db, 'findings.openPage', (db) =>
		listQuery(db, and(eq(f.teamId, sql.placeholder('teamId')), viewCondition.open)!, 'open', true)
			.limit(sql.placeholder('limit'))
			.offset(sql.placeholder('offset'))
			.prepare('findings_open_page')
	);

/** Every finding the filters keep, in the list's order, read a page at a time (for the export). */
export async function* allFindings(
	db: Database,
	teamId: string,
	filters: FindingFilters,
	analyses: readonly AnalysisName[],
	pageSize = 1000
) {
	const where = filterCondition(teamId, filters, analyses);
	// Offsets are fine at a team's size; the order is total (ends with the id), so no row is read twice.
	for (let offset = 0; ; offset += pageSize) {
		const rows = await listQuery(db, where, filters.view, false).limit(pageSize).offset(offset);
		yield* rows;
		if (rows.length < pageSize) return;
	}
}

/** The help of some of the team's findings (by id), as stored. */
export async function findingHelp(db: Database, teamId: string, ids: readonly string[]) {
	if (!ids.length) return [];
	return db
		.select({ id: f.id, help: f.help })
		.from(f)
		.where(and(eq(f.teamId, teamId), inArray(f.id, [...ids])));
}
