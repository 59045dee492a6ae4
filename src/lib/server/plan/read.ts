/**
 * Reading a team's improvement plan with what its current assessment says about it: one query
 * for the items (owner and cycle joined), the stored practice rows and the answers of the
 * practices the plan touches; then, without the database, whether each item is met, overdue or
 * carried over, and the score the team would reach.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { PlanStatus } from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import type { Model } from '$lib/server/model/types';
import { isMet, projectScore, type CurrentAnswers, type CurrentPractice } from './projection';
import { carriedFrom, isOpen, isOverdue, openStatuses, today } from './rules';
import { describeQuestions, planSuggestions, type QuestionRow } from './suggestions';

/** One item as stored, with its owner's name and the cycle it was made in. */
export interface PlanItemRow {
	id: string;
	practiceId: string;
	criterionId: string | null;
	action: string;
	ownerId: string | null;
	ownerName: string | null;
	dueOn: string;
	status: PlanStatus;
	source: string;
	questionId: string | null;
	cycleName: string | null;
	cycleStartsOn: string | null;
	version: number;
	createdAt: string;
	closedAt: string | null;
}

/** The team's newest assessment and its cycle (listTeamAssessments' first row). */
export interface CurrentAssessment {
	id: string;
	cycle: string;
	startsOn: string;
}

/** A team's plan items (all, or open only) and its current answers, in one query. */
export async function readTeamPlan(
	db: Database,
	teamId: string,
	assessmentId: string | null,
	opts: { openOnly?: boolean } = {}
): Promise<{ items: PlanItemRow[]; current: CurrentAnswers | null }> {
	const pi = table.planItem;
	const ap = table.assessmentPractice;
	const a = table.answer;
	const open = opts.openOnly
		? sql`and ${pi.status} in (${sql.join(
				openStatuses.map((s) => sql`${s}`),
				sql`, `
			)})`
		: sql``;
	// No subquery refers to an outer row: every condition is on the parameters.
	const [row] = rowsOf<{
		items: PlanItemRow[];
		practices: CurrentPractice[];
		answers: [string, number | null][];
	}>(
		await db.execute(sql`select
		(${itemsJson(sql`${pi.teamId} = ${teamId} ${open}`)}) as items,
		(select coalesce(json_agg(json_build_object(
			'practiceId', ${ap.practiceId}, 'score', ${ap.score}, 'notApplicable', ${ap.notApplicable},
			'achievedLevel', ${ap.achievedLevel}, 'target', ${ap.target})), '[]'::json)
			from ${ap} where ${ap.assessmentId} = ${assessmentId}) as practices,
		(select coalesce(json_agg(json_build_array(${a.criterionId}, ${a.value})), '[]'::json)
			from ${a} where ${a.assessmentId} = ${assessmentId}
			and split_part(${a.criterionId}, '.', 1) in (
				select ${pi.practiceId} from ${pi} where ${pi.teamId} = ${teamId} ${open})) as answers`)
	);
	const current: CurrentAnswers | null = assessmentId
		? {
				practices: new Map(row!.practices.map((p) => [p.practiceId, p])),
				answers: new Map(row!.answers)
			}
		: null;
	return { items: row!.items, current };
}

/** Everything the plan page reads, in one query (see readPlanPage). */
interface PlanPageRow {
	current: CurrentAssessment | null;
	items: PlanItemRow[];
	practices: CurrentPractice[];
	answers: [string, number | null][];
	owners: { id: string; name: string }[] | null;
	questions: QuestionRow[] | null;
}

const QUESTIONS = 20;

/**
 * The plan page's data in one query: the team's newest assessment and cycle, every item, that
 * assessment's practice rows and answers (all of them when the forms are shown, for the next
 * steps; else those of the practices the plan touches) and, for the forms, the active members
 * who may own an item and the reviewers' questions on the team's assessments (not withdrawn).
 */
export async function readPlanPage(
	db: Database,
	teamId: string,
	forms: boolean
): Promise<PlanPageRow> {
	const pi = table.planItem;
	const ap = table.assessmentPractice;
	const a = table.answer;
	const rq = table.reviewQuestion;
	const qm = table.questionMessage;
	const touched = forms
		? sql``
		: sql`and split_part(${a.criterionId}, '.', 1) in (select ${pi.practiceId} from ${pi} where ${pi.teamId} = ${teamId})`;
	const [row] = rowsOf<PlanPageRow>(
		await db.execute(sql`with newest as (
			select ${table.assessment.id} as id, ${table.cycle.name} as cycle, ${table.cycle.startsOn} as "startsOn"
			from ${table.assessment} join ${table.cycle} on ${table.cycle.id} = ${table.assessment.cycleId}
			where ${table.assessment.teamId} = ${teamId}
			order by ${table.cycle.startsOn} desc limit 1)
		select
		(select row_to_json(newest) from newest) as current,
		(${itemsJson(sql`${pi.teamId} = ${teamId}`)}) as items,
		(select coalesce(json_agg(json_build_object(
			'practiceId', ${ap.practiceId}, 'score', ${ap.score}, 'notApplicable', ${ap.notApplicable},
			'achievedLevel', ${ap.achievedLevel}, 'target', ${ap.target})), '[]'::json)
			from ${ap} where ${ap.assessmentId} = (select id from newest)) as practices,
		(select coalesce(json_agg(json_build_array(${a.criterionId}, ${a.value})), '[]'::json)
			from ${a} where ${a.assessmentId} = (select id from newest) ${touched}) as answers,
		${
			forms
				? sql`(select coalesce(json_agg(json_build_object('id', ${table.user.id}, 'name', ${table.user.name}) order by ${table.user.name}), '[]'::json)
			from ${table.teamMember} join ${table.user} on ${table.user.id} = ${table.teamMember.userId}
			where ${table.teamMember.teamId} = ${teamId} and ${table.user.active}) as owners,
		(select coalesce(json_agg(q), '[]'::json) from (
			select ${rq.id} as id, ${rq.criterionId} as "criterionId", ${rq.status} as status,
				${table.cycle.name} as cycle,
				(select ${qm.body} from ${qm} where ${qm.questionId} = ${rq.id} order by ${qm.createdAt} limit 1) as body
			from ${rq}
			join ${table.assessment} on ${table.assessment.id} = ${rq.assessmentId}
			join ${table.cycle} on ${table.cycle.id} = ${table.assessment.cycleId}
			where ${table.assessment.teamId} = ${teamId} and ${rq.status} <> 'withdrawn'
			order by ${rq.createdAt} desc limit ${QUESTIONS}) q) as questions`
				: sql`null as owners, null as questions`
		}`)
	);
	return row!;
}

/** A JSON array of the items matching `where`, with owner name and cycle. */
/** A JSON list of plan items (with owner and cycle names) matching `where`, as a subquery. */
export function itemsJson(where: SQL) {
	const pi = table.planItem;
	return sql`select coalesce(json_agg(json_build_object(
			'id', ${pi.id}, 'practiceId', ${pi.practiceId}, 'criterionId', ${pi.criterionId},
			'action', ${pi.action}, 'ownerId', ${pi.ownerId}, 'ownerName', ${table.user.name},
			'dueOn', ${pi.dueOn}, 'status', ${pi.status}, 'source', ${pi.source},
			'questionId', ${pi.questionId}, 'cycleName', ${table.cycle.name},
			'cycleStartsOn', ${table.cycle.startsOn}, 'version', ${pi.version},
			'createdAt', ${pi.createdAt}, 'closedAt', ${pi.closedAt})), '[]'::json)
			from ${pi}
			left join ${table.user} on ${table.user.id} = ${pi.ownerId}
			left join ${table.cycle} on ${table.cycle.id} = ${pi.cycleId}
			where ${where}`;
}

/** An item as the plan shows it: its practice and criterion in words, and what the answers say. */
export function describeItem(
	model: Model,
	item: PlanItemRow,
	current: CurrentAnswers | null,
	currentCycle: { startsOn: string } | null,
	on: string
) {
	const practice = model.practiceById.get(item.practiceId);
	return {
		...item,
		practiceName: practice?.name ?? item.practiceId,
		phase: practice?.phase ?? null,
		criterionText: item.criterionId
			? (model.criterionById.get(item.criterionId)?.text ?? item.criterionId)
			: null,
		open: isOpen(item.status),
		overdue: isOverdue(item, on),
		met: isMet(item, current),
		carriedFrom: carriedFrom(item, currentCycle)
	};
}
export type PlanItemView = ReturnType<typeof describeItem>;

/**
 * The plan page: every item described, the score the team would reach, and, when `forms` are
 * shown, the owners to choose from, the suggestions and the reviewers' questions.
 */
export async function teamPlan(
	db: Database,
	model: Model,
	teamId: string,
	forms: boolean,
	on = today()
) {
	const row = await readPlanPage(db, teamId, forms);
	const current: CurrentAnswers | null = row.current
		? {
				practices: new Map(row.practices.map((p) => [p.practiceId, p])),
				answers: new Map(row.answers)
			}
		: null;
	const open = row.items.filter((i) => isOpen(i.status));
	return {
		cycle: row.current?.cycle ?? null,
		items: row.items.map((i) => describeItem(model, i, current, row.current, on)),
		projection: current ? projectScore(model, current, open) : null,
		owners: row.owners ?? [],
		questions: describeQuestions(model, row.questions ?? []),
		suggestions: forms ? planSuggestions(model, current, open) : null
	};
}

const SUMMARY_ITEMS = 5;

/** For the team page: open items (the soonest due first), how many are overdue, and the score. */
export async function teamPlanSummary(
	db: Database,
	model: Model,
	teamId: string,
	assessment: CurrentAssessment | null,
	on = today()
) {
	const { items, current } = await readTeamPlan(db, teamId, assessment?.id ?? null, {
		openOnly: true
	});
	return planSummaryOf(model, items, current, assessment, on);
}

/** teamPlanSummary from the open items and answers already read (the team page reads them with the rest). */
export function planSummaryOf(
	model: Model,
	items: readonly PlanItemRow[],
	current: CurrentAnswers | null,
	assessment: CurrentAssessment | null,
	on = today()
) {
	const described = items
		.map((i) => describeItem(model, i, current, assessment, on))
		.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id));
	return {
		open: described.length,
		overdue: described.filter((i) => i.overdue).length,
		met: described.filter((i) => i.met).length,
		items: described.slice(0, SUMMARY_ITEMS),
		projection: current ? projectScore(model, current, items) : null
	};
}
