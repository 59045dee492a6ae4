import { sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import { rowsOf } from '$lib/server/db/rows';
import { keptForTeam } from './team-cache';
import type { TeamRole } from '$lib/server/db/schema';
import type { TeamAssessment } from '$lib/server/assessments/team-picture';
import { itemsJson, type PlanItemRow } from '$lib/server/plan/read';
import { openStatuses } from '$lib/server/plan/rules';
import type { LessonRows, QuizRows } from '$lib/server/training/progress';

/** What the team page shows, as read in one statement (see readTeamPage). */
export interface TeamPageRows {
	/** By role, then name (as listTeamMembers). */
	members: {
		userId: string;
		name: string;
		email: string;
		active: boolean;
		role: TeamRole;
		champion: boolean;
	}[];
	/** Newest cycle first (as listTeamAssessments). */
	assessments: TeamAssessment[];
	unit: { unit: string; department: string | null } | null;
	/** Practice and phase rows of the newest two assessments. */
	practices: {
		assessmentId: string;
		practiceId: string;
		notApplicable: boolean;
		target: number | null;
		score: number;
		achievedLevel: number;
	}[];
	phases: { assessmentId: string; phase: string; score: number | null }[];
	/** The newest assessment's answers: criterion id and value. */
	answers: [string, number | null][];
	/** Open plan items. */
	plan: PlanItemRow[];
	/** Tools the team has adopted or enforces (none when the team is archived). */
	ownTools: string[];
	rota: {
		startsOn: string;
		rotationWeeks: number;
		members: string[];
		swaps: [string, string][];
	} | null;
	/** Training records of the team's champions who are active people. */
	lessons: LessonRows[];
	quizzes: QuizRows[];
}

/**
 * Everything the team page reads, in one statement: on the embedded database each statement
 * costs about 0.3 ms of CPU beyond its work (building, sending, decoding), and the page needed
 * thirteen. Every subquery is on the team id or on the team's newest assessments.
 *
 * On the embedded database the rows are kept by team until a trigger says the team's data
 * changed (team-cache.ts, migration 0019), so a view of an unchanged team sends no
 * statement. On PostgreSQL (no cache: other instances write too) every view reads them.
 * The rows are shared between views, so they are frozen: callers copy, never change them.
 * Reading another table here needs a team_change trigger on it; reading another column of
 * user, assessment, answer, assessment_practice or assessment_phase needs it in the WHEN clause
 * of that table's trigger (team-cache.test.ts fails until then).
 */
export async function readTeamPage(db: Database, teamId: string): Promise<TeamPageRows> {
	return keptForTeam(db, `page:${teamId}`, teamId, async () => {
		const [row] = rowsOf<TeamPageRows>(await db.execute(teamPageQuery(teamId)));
		return { value: row!, assessments: row!.assessments.map((a) => a.id) };
	});
}

export function teamPageQuery(teamId: string) {
	const open = sql.join(
		openStatuses.map((s) => sql`${s}`),
		sql`, `
	);
	return sql`
		with a as (
			select a.id, a.status, a.score, c.name as cycle, c.status as "cycleStatus",
				c.starts_on as "startsOn", c.due_on as "dueOn"
			from assessment a join cycle c on c.id = a.cycle_id
			where a.team_id = ${teamId}
		), newest as (
			select id, row_number() over (order by "startsOn" desc) as n from a
		), champion as (
			select tm.user_id from team_member tm join "user" u on u.id = tm.user_id and u.active
			where tm.team_id = ${teamId} and tm.champion
		)
		select
		(select coalesce(json_agg(json_build_object('userId', u.id, 'name', u.name, 'email', u.email,
				'active', u.active, 'role', tm.role, 'champion', tm.champion) order by tm.role, u.name), '[]')
			from team_member tm join "user" u on u.id = tm.user_id
			where tm.team_id = ${teamId}) as members,
		(select coalesce(json_agg(a order by a."startsOn" desc), '[]') from a) as assessments,
		(select json_build_object('unit', o.name, 'department', p.name)
			from team t join org_unit o on o.id = t.org_unit_id left join org_unit p on p.id = o.parent_id
			where t.id = ${teamId}) as unit,
		(select coalesce(json_agg(json_build_object('assessmentId', ap.assessment_id,
				'practiceId', ap.practice_id, 'notApplicable', ap.not_applicable, 'target', ap.target,
				'score', ap.score, 'achievedLevel', ap.achieved_level)), '[]')
			from assessment_practice ap join newest on newest.id = ap.assessment_id and newest.n <= 2)
			as practices,
		(select coalesce(json_agg(json_build_object('assessmentId', ph.assessment_id,
				'phase', ph.phase, 'score', ph.score)), '[]')
			from assessment_phase ph join newest on newest.id = ph.assessment_id and newest.n <= 2)
			as phases,
		(select coalesce(json_agg(json_build_array(an.criterion_id, an.value)), '[]')
			from answer an join newest on newest.id = an.assessment_id and newest.n = 1) as answers,
		(${itemsJson(sql`plan_item.team_id = ${teamId} and plan_item.status in (${open})`)}) as plan,
		(select coalesce(json_agg(ta.tool_id), '[]')
			from tool_adoption ta join team t on t.id = ta.team_id and t.active
			where ta.team_id = ${teamId} and ta.state in ('adopted', 'enforced')) as "ownTools",
		(select json_build_object('startsOn', r.starts_on, 'rotationWeeks', r.rotation_weeks,
				'members', coalesce((select json_agg(rm.user_id order by rm.position)
					from rota_member rm where rm.team_id = r.team_id), '[]'),
				'swaps', coalesce((select json_agg(json_build_array(rs.turn_start, rs.user_id))
					from rota_swap rs where rs.team_id = r.team_id), '[]'))
			from rota r where r.team_id = ${teamId}) as rota,
		(select coalesce(json_agg(l), '[]') from (
			select lp.user_id as "userId", lp.module_id as "moduleId", array_agg(lp.lesson_id) as lessons
			from lesson_progress lp join champion on champion.user_id = lp.user_id
			group by lp.user_id, lp.module_id) l) as lessons,
		(select coalesce(json_agg(q), '[]') from (
			select qa.user_id as "userId", qa.module_id as "moduleId", count(*)::int as attempts,
				bool_or(qa.passed) as passed, max(qa.score) as "bestScore"
			from quiz_attempt qa join champion on champion.user_id = qa.user_id
			group by qa.user_id, qa.module_id) q) as quizzes`;
}
