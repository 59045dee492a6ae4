import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { byRevision } from '$lib/server/db/revision';
import type { Model } from '$lib/server/model/types';
import {
	adoptionByTool,
	categoryFigures,
	practicesWithoutTools,
	share,
	DEFAULT_SPRAWL_LIMIT
} from './figures';

/** The configured sprawl limit (TOOL_SPRAWL_LIMIT), default 3. */
export function sprawlLimit(env: NodeJS.ProcessEnv = process.env): number {
	const n = Number.parseInt(env.TOOL_SPRAWL_LIMIT ?? '', 10);
	return Number.isInteger(n) && n > 0 ? n : DEFAULT_SPRAWL_LIMIT;
}

async function adoptionInputs(db: Database) {
	const [teams, tools, categories, rows] = await Promise.all([
		db
			.select({ id: table.team.id, name: table.team.name, slug: table.team.slug })
			.from(table.team)
			.where(eq(table.team.active, true)),
		db
			.select({
				id: table.tool.id,
				name: table.tool.name,
				categoryId: table.tool.categoryId,
				licence: table.tool.licence,
				retired: sql<boolean>`${table.tool.retiredAt} is not null`,
				source: table.tool.source
			})
			.from(table.tool)
			.orderBy(asc(table.tool.name)),
		db.select().from(table.toolCategory).orderBy(asc(table.toolCategory.name)),
		db
			.select({
				teamId: table.toolAdoption.teamId,
				toolId: table.toolAdoption.toolId,
				state: table.toolAdoption.state
			})
			.from(table.toolAdoption)
			.innerJoin(
				table.team,
				and(eq(table.team.id, table.toolAdoption.teamId), eq(table.team.active, true))
			)
	]);
	return {
		teams,
		tools,
		categories,
		rows,
		toolCategory: new Map(tools.map((t) => [t.id, t.categoryId]))
	};
}

/** Organisation-wide adoption: per tool and per category, anonymous (no team names). */
export async function adoptionOverview(db: Database, limit = sprawlLimit()) {
	const { teams, tools, categories, rows, toolCategory } = await adoptionInputs(db);
	const byTool = adoptionByTool(
		tools.map((t) => t.id),
		rows,
		teams.length
	);
	const figures = categoryFigures(categories, toolCategory, rows, teams.length, limit);
	return {
		teamCount: teams.length,
		sprawlLimit: limit,
		categories: categories.map((c, i) => {
			// The figure and the list share a name in categoryFigures; the page needs both.
			const { tools: toolsInUse, ...figure } = figures[i]!;
			return {
				...c,
				...figure,
				toolsInUse,
				tools: tools
					.filter(
						(t) =>
							t.categoryId === c.id && (!t.retired || byTool.get(t.id)!.not_used < teams.length)
					)
					.map((t) => {
						const counts = byTool.get(t.id)!;
						return {
							...t,
							counts,
							inUseShare: share(counts.adopted + counts.enforced, teams.length)
						};
					})
			};
		}),
		distinctInUse: figures.reduce((s, f) => s + f.tools, 0)
	};
}

/**
 * Per active team, the practices it scored in the latest cycle without using a tool that
 * supports them (named: for the security team). Only practices some category serves count,
 * and a category serves a practice only while the catalogue offers a tool of it. Teams in name
 * order, their practices in model order.
 */
export async function teamsWithoutTools(db: Database, model: Model) {
	const { teams, tools, categories, rows, toolCategory } = await adoptionInputs(db);
	const [latest] = await db
		.select({ id: table.cycle.id, name: table.cycle.name })
		.from(table.cycle)
		.orderBy(desc(table.cycle.startsOn))
		.limit(1);
	if (!latest) return { cycle: null, teams: [] };
	const scored = await db
		.select({ teamId: table.assessment.teamId, practiceId: table.assessmentPractice.practiceId })
		.from(table.assessmentPractice)
		.innerJoin(table.assessment, eq(table.assessment.id, table.assessmentPractice.assessmentId))
		.where(
			and(
				eq(table.assessment.cycleId, latest.id),
				gt(table.assessmentPractice.score, 0),
				eq(table.assessmentPractice.notApplicable, false)
			)
		);
	const offered = new Set(tools.filter((t) => !t.retired).map((t) => t.categoryId));
	const categoriesByPractice = new Map<string, string[]>();
	for (const c of categories.filter((c) => offered.has(c.id)))
		for (const p of c.practices)
			categoriesByPractice.set(p, [...(categoriesByPractice.get(p) ?? []), c.id]);
	const gaps = practicesWithoutTools(scored, categoriesByPractice, toolCategory, rows);
	const order = new Map(model.practices.map((p, i) => [p.id, i]));
	return {
		cycle: latest.name,
		teams: teams
			.map((team) => ({
				team,
				practices: gaps
					.filter((g) => g.teamId === team.id && model.practiceById.has(g.practiceId))
					.map((g) => ({ id: g.practiceId, name: model.practiceById.get(g.practiceId)!.name }))
					.sort((a, b) => order.get(a.id)! - order.get(b.id)!)
			}))
			.filter((t) => t.practices.length)
			.sort((a, b) => a.team.name.localeCompare(b.team.name))
	};
}

/** Per tool (with its category's practices): the active teams that adopted or enforce it. */
function toolUseAcrossTeams(db: Database) {
	return db
		.select({
			practices: table.toolCategory.practices,
			toolId: table.tool.id,
			tool: table.tool.name,
			teams: sql<number>`count(distinct ${table.toolAdoption.teamId})::int`
		})
		.from(table.toolAdoption)
		.innerJoin(table.tool, eq(table.tool.id, table.toolAdoption.toolId))
		.innerJoin(table.toolCategory, eq(table.toolCategory.id, table.tool.categoryId))
		.innerJoin(
			table.team,
			and(eq(table.team.id, table.toolAdoption.teamId), eq(table.team.active, true))
		)
		.where(sql`${table.toolAdoption.state} in ('adopted', 'enforced')`)
		.groupBy(table.toolCategory.practices, table.tool.id, table.tool.name);
}

/** "4 teams use Semgrep for static analysis": tools other teams have adopted for these practices. */
export async function toolsUsedForPractices(
	db: Database,
	practiceIds: readonly string[],
	excludeTeamId: string,
	/** The team's adopted and enforced tools, when the caller has read them (the team page). */
	ownTools?: readonly string[]
) {
	if (!practiceIds.length) return new Map<string, { name: string; teams: number }[]>();
	// The organisation's counts are shared by every team page and computed once per data
	// revision; the team's own tools are then taken out of them.
	const [all, own] = await Promise.all([
		byRevision(db, 'tools.useAcrossTeams', () => toolUseAcrossTeams(db)),
		ownTools ??
			db
				.select({ toolId: table.toolAdoption.toolId })
				.from(table.toolAdoption)
				.innerJoin(
					table.team,
					and(eq(table.team.id, table.toolAdoption.teamId), eq(table.team.active, true))
				)
				.where(
					and(
						eq(table.toolAdoption.teamId, excludeTeamId),
						sql`${table.toolAdoption.state} in ('adopted', 'enforced')`
					)
				)
				.then((rows) => rows.map((r) => r.toolId))
	]);
	const mine = new Set(own);
	const rows = all
		.map((r) => ({ ...r, teams: r.teams - (mine.has(r.toolId) ? 1 : 0) }))
		.filter((r) => r.teams > 0);
	const result = new Map<string, { name: string; teams: number }[]>();
	for (const p of practiceIds) {
		const used = rows
			.filter((r) => r.practices.includes(p))
			.map((r) => ({ name: r.tool, teams: r.teams }))
			.sort((a, b) => b.teams - a.teams || a.name.localeCompare(b.name))
			.slice(0, 3);
		result.set(p, used);
	}
	return result;
}
