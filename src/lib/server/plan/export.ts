/**
 * The improvement plans as CSV rows: one team's, or every active team's in a scope, a page of
 * teams at a time (keyset on slug), each page's items read in one query with what the team's
 * newest assessment says about them.
 */
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { teamInScope, type Scope } from '$lib/server/dashboard/scope';
import type { Model } from '$lib/server/model/types';
import { planSourceLabels, type PlanSource } from '$lib/plan';
import { metBy } from './projection';
import { carriedFrom, isOverdue, today } from './rules';

const PAGE = 250;
const parentUnit = alias(table.orgUnit, 'parent_unit');
const itemCycle = alias(table.cycle, 'item_cycle');

export const planColumns = [
	'department',
	'unit',
	'team',
	'team_slug',
	'phase',
	'practice_id',
	'practice',
	'criterion_id',
	'criterion',
	'action',
	'owner',
	'due_on',
	'status',
	'overdue',
	'met',
	'source',
	'cycle',
	'carried_over',
	'created_at',
	'closed_at'
] as const;

type Row = Record<(typeof planColumns)[number], unknown>;
type Team = {
	id: string;
	name: string;
	slug: string;
	unit: string | null;
	department: string | null;
};

/** Which plans: one team (archived or not), or the active teams of a scope. */
export type PlanExportFilter = { teamId: string } | { scope: Scope };

async function* teamPages(db: Database, filter: PlanExportFilter): AsyncGenerator<Team[]> {
	let after = '';
	for (;;) {
		const page = await db
			.select({
				id: table.team.id,
				name: table.team.name,
				slug: table.team.slug,
				unit: table.orgUnit.name,
				department: parentUnit.name
			})
			.from(table.team)
			.leftJoin(table.orgUnit, eq(table.orgUnit.id, table.team.orgUnitId))
			.leftJoin(parentUnit, eq(parentUnit.id, table.orgUnit.parentId))
			.where(
				and(
					'teamId' in filter ? eq(table.team.id, filter.teamId) : teamInScope(filter.scope),
					gt(table.team.slug, after)
				)
			)
			.orderBy(asc(table.team.slug))
			.limit(PAGE);
		if (!page.length) return;
		yield page;
		after = page.at(-1)!.slug;
	}
}

/** The items of some teams with owner, cycle, and the newest assessment's answer and practice row. */
function pageItems(db: Database, teamIds: string[]) {
	// Each team's newest assessment, as the team page picks it. Drizzle writes the aliased columns
	// without the CTE's name, so the aliases must be unique in the whole query.
	const newest = db.$with('newest').as(
		db
			.selectDistinctOn([table.assessment.teamId], {
				teamId: table.assessment.teamId,
				assessmentId: sql<string>`${table.assessment.id}`.as('newest_assessment_id'),
				startsOn: sql<string>`${table.cycle.startsOn}`.as('newest_starts_on')
			})
			.from(table.assessment)
			.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
			.where(inArray(table.assessment.teamId, teamIds))
			.orderBy(table.assessment.teamId, desc(table.cycle.startsOn))
	);
	const pi = table.planItem;
	return db
		.with(newest)
		.select({
			teamId: pi.teamId,
			id: pi.id,
			practiceId: pi.practiceId,
			criterionId: pi.criterionId,
			action: pi.action,
			owner: table.user.name,
			dueOn: pi.dueOn,
			status: pi.status,
			source: pi.source,
			cycleName: itemCycle.name,
			cycleStartsOn: itemCycle.startsOn,
			currentStartsOn: newest.startsOn,
			answer: table.answer.value,
			achievedLevel: table.assessmentPractice.achievedLevel,
			target: table.assessmentPractice.target,
			createdAt: pi.createdAt,
			closedAt: pi.closedAt
		})
		.from(pi)
		.leftJoin(table.user, eq(table.user.id, pi.ownerId))
		.leftJoin(itemCycle, eq(itemCycle.id, pi.cycleId))
		.leftJoin(newest, eq(newest.teamId, pi.teamId))
		.leftJoin(
			table.answer,
			and(
				eq(table.answer.assessmentId, newest.assessmentId),
				eq(table.answer.criterionId, pi.criterionId)
			)
		)
		.leftJoin(
			table.assessmentPractice,
			and(
				eq(table.assessmentPractice.assessmentId, newest.assessmentId),
				eq(table.assessmentPractice.practiceId, pi.practiceId)
			)
		)
		.where(inArray(pi.teamId, teamIds))
		.orderBy(asc(pi.dueOn), asc(pi.id));
}

/** One row per plan item, teams by slug, each team's items by due date. */
export async function* planRows(
	db: Database,
	model: Model,
	filter: PlanExportFilter,
	on = today()
): AsyncGenerator<Row> {
	for await (const teams of teamPages(db, filter)) {
		const items = await pageItems(
			db,
			teams.map((t) => t.id)
		);
		for (const t of teams) {
			for (const i of items.filter((x) => x.teamId === t.id)) {
				const practice = model.practiceById.get(i.practiceId);
				const current = i.currentStartsOn ? { startsOn: i.currentStartsOn } : null;
				const facts = current && {
					answer: i.answer,
					practice:
						i.achievedLevel === null ? null : { achievedLevel: i.achievedLevel, target: i.target }
				};
				yield {
					department: t.department,
					unit: t.unit,
					team: t.name,
					team_slug: t.slug,
					phase: practice?.phase ?? null,
					practice_id: i.practiceId,
					practice: practice?.name ?? i.practiceId,
					criterion_id: i.criterionId,
					criterion: i.criterionId ? (model.criterionById.get(i.criterionId)?.text ?? null) : null,
					action: i.action,
					owner: i.owner,
					due_on: i.dueOn,
					status: i.status,
					overdue: isOverdue(i, on),
					met: metBy(i, facts),
					source: planSourceLabels[i.source as PlanSource] ?? i.source,
					cycle: i.cycleName,
					carried_over: carriedFrom(i, current) !== null,
					created_at: i.createdAt,
					closed_at: i.closedAt
				};
			}
		}
	}
}
