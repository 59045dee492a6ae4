import { sql, type SQL } from 'drizzle-orm';
import type { AuditEntry } from '$lib/server/audit/audit-log';
import type { Rescored } from './rescore';

/**
 * Everything saving one answer writes, as one statement: the answer, its practice's scores, the
 * phase scores, the team score and the audit entry. The same writes as `writeTogether` with
 * drizzle's insert and update builders (scores-store.ts, auditInsert), written out: building
 * those five cost more CPU per save than running them on the embedded database, and the answer
 * save is the assessment form's hot path. The text is the same for every save, so it is
 * prepared once (pglite-prepared.ts; postgres-js prepares it too); rows travel as JSON.
 * assessments.test.ts compares what it stores with the builders' writes.
 *
 * The assessment row is updated first and everything else is written only if it was: with
 * `unchangedSince` (the row's xmin when the save's state was read, without a lock) it is updated
 * only if no transaction has changed it since, and then nothing is written and `saved` is 0.
 * Every write that changes what an answer's scores are made of (answers, practice settings,
 * status) updates that row (scores-store.ts, review.ts), so an unchanged row means the scores
 * computed from that read still hold; closing a cycle does not, so the cycle is checked too.
 * Without it (the row is locked) the write always happens. `token` is the row's new xmin, for
 * the next save (answer-states.ts).
 */
export function answerSaveStatement(w: {
	assessmentId: string;
	criterionId: string;
	answer: {
		value: number | null;
		comment: string;
		evidence: string[];
		version: number;
		updatedAt: Date;
		updatedBy: string;
	};
	scores: Rescored;
	audit: AuditEntry;
	unchangedSince: string | null;
}): SQL {
	const id = w.assessmentId;
	const at = w.answer.updatedAt.toISOString();
	const practices = JSON.stringify(
		w.scores.practices.map((p) => ({
			practice_id: p.practiceId,
			phase: p.phase,
			score: p.score,
			achieved_level: p.achievedLevel,
			level_scores: p.levelScores
		}))
	);
	const phases = JSON.stringify(w.scores.phases);
	const a = w.audit;
	return sql`with team_score as (
		update assessment set score = ${w.scores.team}::double precision, updated_at = ${at}::timestamptz
		where id = ${id}::uuid and (${w.unchangedSince}::text is null or (xmin::text = ${w.unchangedSince}::text
			and exists (select 1 from cycle where cycle.id = assessment.cycle_id and cycle.status = 'open')))
		returning id, xmin::text as token),
	saved_answer as (
		insert into answer (assessment_id, criterion_id, value, comment, evidence, version, updated_at, updated_by)
		select team_score.id, ${w.criterionId}::text, ${w.answer.value}::double precision, ${w.answer.comment}::text,
			${JSON.stringify(w.answer.evidence)}::text::jsonb, ${w.answer.version}::integer, ${at}::timestamptz,
			${w.answer.updatedBy}::uuid
		from team_score
		on conflict (assessment_id, criterion_id) do update set value = excluded.value,
			comment = excluded.comment, evidence = excluded.evidence, version = excluded.version,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by),
	practice_scores as (
		insert into assessment_practice (assessment_id, practice_id, phase, score, achieved_level, level_scores)
		select team_score.id, r.practice_id, r.phase, r.score, r.achieved_level, r.level_scores
		from team_score, jsonb_to_recordset(${practices}::text::jsonb)
			as r(practice_id text, phase text, score double precision, achieved_level integer, level_scores jsonb)
		on conflict (assessment_id, practice_id) do update set score = excluded.score,
			achieved_level = excluded.achieved_level, level_scores = excluded.level_scores, phase = excluded.phase),
	phase_scores as (
		insert into assessment_phase (assessment_id, phase, score)
		select team_score.id, r.phase, r.score
		from team_score, jsonb_to_recordset(${phases}::text::jsonb) as r(phase text, score double precision)
		on conflict (assessment_id, phase) do update set score = excluded.score),
	audited as (
		insert into audit_log (actor_id, action, target_type, target_id, team_id, detail, ip)
		select ${a.actorId}::uuid, ${a.action}::text, ${a.targetType}::text, ${a.targetId ?? null}::text,
			${a.teamId ?? null}::uuid, ${JSON.stringify(a.detail ?? {})}::text::jsonb, ${a.ip ?? ''}::text
		from team_score)
	select count(*)::int as saved, max(token) as token from team_score`;
}
