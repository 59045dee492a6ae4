import { sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import { keptForTeam } from '$lib/server/teams/team-cache';
import type { Model } from '$lib/server/model/types';
import { groupThreads, type Thread, type ThreadRow } from './question-threads';
import {
	reviewView,
	type AnswerState,
	type AssessmentSnapshot,
	type PracticeState,
	type ReviewFilter
} from './review-diff';

/** One criterion now and in the baseline, as the statement returns it (absent: no answer row). */
type AnswerPair = [
	criterionId: string,
	now: boolean,
	value: number | null,
	comment: string | null,
	evidence: string[] | null,
	updatedBy: string | null,
	then: boolean,
	valueThen: number | null,
	commentThen: string | null,
	evidenceThen: string[] | null
];
type PracticeRow = [
	current: boolean,
	practiceId: string,
	notApplicable: boolean,
	reason: string,
	target: number | null,
	score: number,
	achievedLevel: number
];

interface WorkspaceRow {
	baselineId: string | null;
	baselineCycle: string | null;
	answers: AnswerPair[] | null;
	names: Record<string, string> | null;
	practices: PracticeRow[] | null;
	threads: (Omit<ThreadRow, 'askedAt' | 'at'> & { askedAt: string; at: string })[] | null;
}

/*
 * One statement: the team's latest approved assessment in a cycle that started before this one
 * (the baseline), each criterion's answer now and then, the names of who changed this cycle's
 * answers, both assessments' practice rows, and every question with its messages. On the
 * embedded database every statement, and every row turned into JSON, costs the server's CPU:
 * unless every criterion is shown, only the criteria whose stored answer differs come back (a
 * superset of what review-diff calls changed, which ignores spaces around a comment).
 */
export function workspaceQuery(assessmentId: string, everyCriterion: boolean) {
	const { answer, assessment, assessmentPractice, cycle, questionMessage, reviewQuestion } = table;
	const differs = everyCriterion
		? sql`true`
		: sql`n.value is distinct from o.value
			or coalesce(n.comment, '') <> coalesce(o.comment, '')
			or coalesce(n.evidence, '[]'::jsonb) <> coalesce(o.evidence, '[]'::jsonb)`;
	return sql`
		with cur as (select id, team_id, cycle_id from ${assessment} where id = ${assessmentId}),
		base as (
			select a.id, c.name from ${assessment} a join ${cycle} c on c.id = a.cycle_id, cur
			where a.team_id = cur.team_id and a.status = 'approved'
				and c.starts_on < (select starts_on from ${cycle} where id = cur.cycle_id)
			order by c.starts_on desc limit 1
		),
		pairs as (
			select coalesce(n.criterion_id, o.criterion_id) as criterion_id,
				n.criterion_id is not null as has_now, n.value, n.comment, n.evidence, n.updated_by,
				o.criterion_id is not null as has_then, o.value as value_then, o.comment as comment_then,
				o.evidence as evidence_then
			from (select * from ${answer} where assessment_id = (select id from cur)) n
			full join (select * from ${answer} where assessment_id = (select id from base)) o
				on o.criterion_id = n.criterion_id
			where ${differs}
		)
		select (select id from base) as "baselineId", (select name from base) as "baselineCycle",
			(select json_agg(json_build_array(criterion_id, has_now, value, comment, evidence, updated_by,
					has_then, value_then, comment_then, evidence_then)) from pairs) as answers,
			(select json_object_agg(u.id, u.name) from ${table.user} u
				where u.id = any(array(select distinct updated_by from pairs where updated_by is not null))) as names,
			(select json_agg(json_build_array(p.assessment_id = cur.id, p.practice_id, p.not_applicable,
					p.not_applicable_reason, p.target, p.score, p.achieved_level))
				from ${assessmentPractice} p
				where p.assessment_id = any(array[cur.id, (select id from base)])) as practices,
			(select json_agg(json_build_object('id', q.id, 'criterionId', q.criterion_id, 'status', q.status,
					'askedAt', q.created_at, 'messageId', m.id, 'body', m.body, 'at', m.created_at,
					'author', u.name, 'member', tm.user_id)
					order by q.created_at, q.id, m.created_at, m.id)
				from ${reviewQuestion} q
				join ${questionMessage} m on m.question_id = q.id
				left join ${table.user} u on u.id = m.author_id
				left join ${table.teamMember} tm on tm.team_id = cur.team_id and tm.user_id = m.author_id
				where q.assessment_id = cur.id) as threads
		from cur`;
}

/** JSON from the driver: parsed already by some, text by others. */
const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? JSON.parse(v) : v);

function snapshots(row: WorkspaceRow) {
	const empty = () => ({
		answers: new Map<string, AnswerState & { updatedBy: string | null }>(),
		practices: new Map<string, PracticeState>()
	});
	const current = empty();
	const baseline = empty();
	const names = json(row.names) ?? {};
	for (const [id, now, value, comment, evidence, by, then, v0, c0, e0] of json(row.answers) ?? []) {
		if (now)
			current.answers.set(id, {
				value,
				comment: comment ?? '',
				evidence: evidence ?? [],
				updatedBy: by ? (names[by] ?? null) : null
			});
		if (then)
			baseline.answers.set(id, {
				value: v0,
				comment: c0 ?? '',
				evidence: e0 ?? [],
				updatedBy: null
			});
	}
	for (const [now, practiceId, notApplicable, reason, target, score, achievedLevel] of json(
		row.practices
	) ?? [])
		(now ? current : baseline).practices.set(practiceId, {
			notApplicable,
			reason,
			target,
			score,
			achievedLevel
		});
	return { current, baseline: row.baselineId ? (baseline as AssessmentSnapshot) : null };
}

/**
 * Everything the reviewer's workspace shows for one assessment: what changed since the team's
 * last approved assessment (filtered), the practices that moved most, and every question. On
 * the embedded database the statement's rows are kept with the team's data until it changes
 * (teams/team-cache.ts, migrations 0019 and 0020); the view is made from them on each request.
 */
export async function reviewWorkspace(
	db: Database,
	model: Model,
	assessment: { id: string; teamId: string },
	filter: ReviewFilter
): Promise<{
	baseline: { cycle: string } | null;
	view: ReturnType<typeof reviewView>;
	threads: Thread[];
}> {
	const everyCriterion = !filter.changedOnly;
	const row = await keptForTeam(
		db,
		`review:${assessment.id}:${everyCriterion ? 'all' : 'changed'}`,
		assessment.teamId,
		async () => {
			const [read] = rowsOf<WorkspaceRow>(
				await db.execute(workspaceQuery(assessment.id, everyCriterion))
			);
			if (!read) throw new Error(`No assessment ${assessment.id}`);
			const assessments = read.baselineId ? [assessment.id, read.baselineId] : [assessment.id];
			return { value: read, assessments };
		}
	);
	const { current, baseline } = snapshots(row);
	const threads = groupThreads(
		(json(row.threads) ?? []).map((t) => ({
			...t,
			askedAt: new Date(t.askedAt),
			at: new Date(t.at)
		}))
	);
	return {
		baseline: row.baselineCycle ? { cycle: row.baselineCycle } : null,
		view: reviewView(model, current, baseline, filter),
		threads
	};
}
