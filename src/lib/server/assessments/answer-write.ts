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
 * answer-write.test.ts compares what it stores with the builders' writes.
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
	return sql`with saved_answer as (
		insert into answer (assessment_id, criterion_id, value, comment, evidence, version, updated_at, updated_by)
		values (${id}::uuid, ${w.criterionId}::text, ${w.answer.value}::double precision, ${w.answer.comment}::text,
			${JSON.stringify(w.answer.evidence)}::text::jsonb, ${w.answer.version}::integer, ${at}::timestamptz,
			${w.answer.updatedBy}::uuid)
		on conflict (assessment_id, criterion_id) do update set value = excluded.value,
			comment = excluded.comment, evidence = excluded.evidence, version = excluded.version,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by),
	practice_scores as (
		insert into assessment_practice (assessment_id, practice_id, phase, score, achieved_level, level_scores)
		select ${id}::uuid, r.practice_id, r.phase, r.score, r.achieved_level, r.level_scores
		from jsonb_to_recordset(${practices}::text::jsonb)
			as r(practice_id text, phase text, score double precision, achieved_level integer, level_scores jsonb)
		on conflict (assessment_id, practice_id) do update set score = excluded.score,
			achieved_level = excluded.achieved_level, level_scores = excluded.level_scores, phase = excluded.phase),
	phase_scores as (
		insert into assessment_phase (assessment_id, phase, score)
		select ${id}::uuid, r.phase, r.score
		from jsonb_to_recordset(${phases}::text::jsonb) as r(phase text, score double precision)
		on conflict (assessment_id, phase) do update set score = excluded.score),
	team_score as (
		update assessment set score = ${w.scores.team}::double precision, updated_at = ${at}::timestamptz
		where id = ${id}::uuid),
	audited as (
		insert into audit_log (actor_id, action, target_type, target_id, team_id, detail, ip)
		values (${a.actorId}::uuid, ${a.action}::text, ${a.targetType}::text, ${a.targetId ?? null}::text,
			${a.teamId ?? null}::uuid, ${JSON.stringify(a.detail ?? {})}::text::jsonb, ${a.ip ?? ''}::text))
	select 1`;
}
