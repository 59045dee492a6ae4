import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { can } from '$lib/server/auth/policy';
import type { Model, Practice } from '$lib/server/model/types';
import { criterionIdsOf } from '$lib/server/model/criteria';
import type { ActorContext } from '$lib/server/users/accounts';
import { isCoverage, type Coverage } from './scoring';
import { qualified } from '$lib/server/db/qualified';
import { rowsOf } from '$lib/server/db/rows';
import { rescore, type StoredPracticeScore } from './rescore';
import { answerSaveStatement } from './answer-write';
import { recomputeAggregates, recomputeScores } from './scores-store';
import { editLock, type AssessmentState } from './workflow';
import {
	afterSave,
	forgetAnswerState,
	answerStatesKept,
	keepAnswerState,
	keptAnswerState,
	type AnswerState,
	type StoredAnswer
} from './answer-states';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Who acts, from where, on which team (for the audit log). */
export type TeamActorContext = ActorContext & { teamId?: string };

/** A team's assessment in a named cycle, with the cycle. */
export async function findAssessment(db: Database, teamId: string, cycleName: string) {
	const [row] = await db
		.select({ assessment: table.assessment, cycle: table.cycle })
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.where(and(eq(table.assessment.teamId, teamId), eq(table.cycle.name, cycleName)));
	return row ?? null;
}

/** A team's assessments, newest cycle first, with their stored team score. */
export async function listTeamAssessments(db: Database, teamId: string) {
	return await db
		.select({
			id: table.assessment.id,
			status: table.assessment.status,
			score: table.assessment.score,
			cycle: table.cycle.name,
			cycleStatus: table.cycle.status,
			startsOn: table.cycle.startsOn,
			dueOn: table.cycle.dueOn
		})
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.where(eq(table.assessment.teamId, teamId))
		.orderBy(desc(table.cycle.startsOn));
}

/**
 * An assessment's answers keyed by criterion id, with who last changed each: every answer, or
 * only those of `criterionIds` (a page showing one phase need not read the other five).
 */
export async function loadAnswers(
	db: Database,
	assessmentId: string,
	criterionIds?: readonly string[]
) {
	const rows = await db
		.select({
			criterionId: table.answer.criterionId,
			value: table.answer.value,
			comment: table.answer.comment,
			evidence: table.answer.evidence,
			version: table.answer.version,
			updatedAt: table.answer.updatedAt,
			// A lookup per answer by primary key: as a join, PostgreSQL hashes the whole user
			// table (2,500 rows at 500 teams) for a phase's 40 answers.
			updatedBy: sql<
				string | null
			>`(select ${table.user.name} from ${table.user} where ${table.user.id} = ${qualified(table.answer.updatedBy)})`
		})
		.from(table.answer)
		.where(
			and(
				eq(table.answer.assessmentId, assessmentId),
				criterionIds ? inArray(table.answer.criterionId, [...criterionIds]) : undefined
			)
		);
	return new Map(rows.map((r) => [r.criterionId, r]));
}

/**
 * What pages show of a stored practice row: not the per-level scores (jsonb, the largest part of
 * the row to read back and only the scoring module's concern).
 */
export const practiceResultColumns = {
	assessmentId: table.assessmentPractice.assessmentId,
	practiceId: table.assessmentPractice.practiceId,
	notApplicable: table.assessmentPractice.notApplicable,
	notApplicableReason: table.assessmentPractice.notApplicableReason,
	target: table.assessmentPractice.target,
	score: table.assessmentPractice.score,
	achievedLevel: table.assessmentPractice.achievedLevel,
	version: table.assessmentPractice.version
};

/** The stored per-practice rows (not applicable, target, scores). */
export async function loadPractices(db: Database, assessmentId: string) {
	const rows = await db
		.select(practiceResultColumns)
		.from(table.assessmentPractice)
		.where(eq(table.assessmentPractice.assessmentId, assessmentId))
		.orderBy(asc(table.assessmentPractice.practiceId));
	return new Map(rows.map((r) => [r.practiceId, r]));
}

/** The stored phase scores. */
export async function loadPhaseScores(db: Database, assessmentId: string) {
	const rows = await db
		.select({ phase: table.assessmentPhase.phase, score: table.assessmentPhase.score })
		.from(table.assessmentPhase)
		.where(eq(table.assessmentPhase.assessmentId, assessmentId));
	return new Map(rows.map((r) => [r.phase, r.score]));
}

export type WriteRefusal =
	| { ok: false; kind: 'invalid'; field: string; message: string }
	| { ok: false; kind: 'locked'; message: string }
	| {
			ok: false;
			kind: 'conflict';
			message: string;
			current: Record<string, unknown> & { version: number; updatedBy: string | null };
	  };

/** Locks the assessment row and says why it cannot be changed, if it cannot. */
async function lockForEdit(tx: Tx, assessmentId: string): Promise<WriteRefusal | null> {
	const [row] = await tx
		.select({ status: table.assessment.status, cycleStatus: table.cycle.status })
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.where(eq(table.assessment.id, assessmentId))
		.for('update', { of: table.assessment });
	return editRefusal(row);
}

/** Why an assessment in this state cannot be changed (null: it can). */
function editRefusal(row: AssessmentState | undefined): WriteRefusal | null {
	if (!row) return { ok: false, kind: 'invalid', field: 'form', message: 'Unknown assessment.' };
	switch (editLock(row)) {
		case 'cycleClosed':
			return {
				ok: false,
				kind: 'locked',
				message: 'This cycle is closed: its assessments are read-only.'
			};
		case 'underReview':
			return {
				ok: false,
				kind: 'locked',
				message: `This assessment is ${row.status}: it can be changed again once the security team returns it.`
			};
		case null:
			return null;
	}
}

/**
 * Everything saving one answer needs, in one query: the assessment's state and its row's xmin
 * (which any change to the row moves, for the write to check), the answers of `only` (all of
 * them when null: a state to keep for the next save), every stored practice score, and who last
 * changed the answer being saved (for a conflict's message).
 */
async function readAnswerState(
	db: Database | Tx,
	assessmentId: string,
	criterionId: string,
	only: string[] | null
) {
	const which = only ? sql`and an.criterion_id in ${only}` : sql``;
	// Written out, not built with drizzle's select builder: a save is the form's hot path.
	const [row] = rowsOf<{
		status: AssessmentState['status'];
		cycleStatus: AssessmentState['cycleStatus'];
		token: string;
		updatedBy: string | null;
		answers: [string, number | null, string, string[], number][];
		practices: StoredPracticeScore[];
	}>(
		await db.execute(sql`select a.status, c.status as "cycleStatus", a.xmin::text as token,
			(select u.name from answer an join "user" u on u.id = an.updated_by
				where an.assessment_id = a.id and an.criterion_id = ${criterionId}::text) as "updatedBy",
			(select coalesce(json_agg(json_build_array(an.criterion_id, an.value, an.comment, an.evidence,
					an.version)), '[]'::json)
				from answer an where an.assessment_id = a.id ${which}) as answers,
			(select coalesce(json_agg(json_build_object('practiceId', p.practice_id, 'score', p.score,
					'notApplicable', p.not_applicable)), '[]'::json)
				from assessment_practice p where p.assessment_id = a.id) as practices
			from assessment a join cycle c on c.id = a.cycle_id
			where a.id = ${assessmentId}::uuid`)
	);
	if (!row) return undefined;
	const answers = new Map<string, StoredAnswer>(
		row.answers.map(([id, value, comment, evidence, version]) => [
			id,
			{ value, comment, evidence, version }
		])
	);
	return { ...row, answers };
}

export interface AnswerInput {
	assessmentId: string;
	criterionId: string;
	value: Coverage | null;
	comment: string;
	evidence: string[];
	/** The version the person was looking at; 0 when there was no answer yet. */
	baseVersion: number;
}

/**
 * Saves one answer unless someone else changed it since `baseVersion` (then nothing is
 * written and their value is returned); rescoring and the audit entry are one statement.
 *
 * Without a transaction first: the state is read, and the write happens only if the assessment
 * row is as it was read (answerSaveStatement's `unchangedSince`). On the embedded database a
 * transaction's BEGIN and COMMIT and the row lock cost about as much CPU as the write itself,
 * and two saves of one assessment meeting between read and write are rare. When they do meet,
 * the save is done again as before: in a transaction, with the assessment row locked.
 *
 * On the embedded database the state the last save left is kept (answer-states.ts), and the
 * next save of the assessment starts from it instead of reading: the same check at the write
 * tells whether it still holds.
 */
export async function saveAnswer(
	db: Database,
	ctx: TeamActorContext,
	model: Model,
	input: AnswerInput
): Promise<{ ok: true; version: number } | WriteRefusal> {
	const criterion = model.criterionById.get(input.criterionId);
	if (!criterion)
		return { ok: false, kind: 'invalid', field: 'criterionId', message: 'Unknown criterion.' };
	if (input.value !== null && !isCoverage(input.value)) {
		return { ok: false, kind: 'invalid', field: 'value', message: 'Choose no, some, most or all.' };
	}
	const practice = model.practiceById.get(criterion.practiceId)!;
	// Where states are kept, a read takes the whole assessment (once per assessment).
	const whole = answerStatesKept(db);
	const attempt = (on: Database | Tx, from: AnswerState | 'read' | 'locked') =>
		answerSaveAttempt(on, ctx, model, practice, input, from, whole);
	let saved: Awaited<ReturnType<typeof attempt>> = 'changed';
	const kept = keptAnswerState(db, input.assessmentId);
	if (kept) {
		saved = await attempt(db, kept);
		if (saved === 'changed') {
			answerSaveRetries.fromKept++;
			forgetAnswerState(db, input.assessmentId);
		}
	}
	if (saved === 'changed') saved = await attempt(db, 'read');
	if (saved === 'changed') {
		answerSaveRetries.count++;
		saved = await db.transaction(async (tx) => {
			const locked = await attempt(tx, 'locked');
			if (locked === 'changed') throw new Error('The locked assessment row changed.');
			return locked;
		});
	}
	if (!saved.ok) return saved;
	// Kept once written (a locked save's once its transaction has committed).
	if (saved.kept) keepAnswerState(db, input.assessmentId, saved.kept);
	return { ok: true, version: saved.version };
}

/**
 * Saves that met another write between their read and their write, and were done again locked;
 * and saves that started from a kept state no longer current, and read the assessment.
 */
export const answerSaveRetries = { count: 0, fromKept: 0 };

/**
 * At most one read and one write. From a kept state: no read, and 'changed' when that state
 * would refuse the save (it may be stale: the read decides) or the row moved since. Read
 * without a lock: 'changed' when the row moved between the read and the write.
 */
async function answerSaveAttempt(
	db: Database | Tx,
	ctx: TeamActorContext,
	model: Model,
	practice: Practice,
	input: AnswerInput,
	from: AnswerState | 'read' | 'locked',
	/** Read all of the assessment's answers, and answer the state the save leaves. */
	whole: boolean
): Promise<{ ok: true; version: number; kept?: AnswerState } | WriteRefusal | 'changed'> {
	const lock = from === 'locked';
	// The lock is its own statement: on PostgreSQL (read committed) a statement that waits for a
	// row lock still reads everything else as it was before it waited, so a read that locks
	// would miss the answers saved by the transaction it waited for. The next statement sees them.
	if (lock)
		await db.execute(
			sql`select 1 from assessment where id = ${input.assessmentId}::uuid for update`
		);
	let state: AnswerState & { updatedBy?: string | null };
	if (typeof from === 'object') state = from;
	else {
		const only = whole ? null : criterionIdsOf([practice]);
		const read = await readAnswerState(db, input.assessmentId, input.criterionId, only);
		const refusal = editRefusal(read);
		if (refusal || !read) return refusal!;
		state = read;
	}
	const existing = state.answers.get(input.criterionId);
	const currentVersion = existing?.version ?? 0;
	const unchanged =
		existing &&
		existing.value === input.value &&
		existing.comment === input.comment &&
		JSON.stringify(existing.evidence) === JSON.stringify(input.evidence);
	if (typeof from === 'object' && (currentVersion !== input.baseVersion || unchanged))
		return 'changed';
	if (currentVersion !== input.baseVersion) {
		const updatedBy = state.updatedBy ?? null;
		return {
			ok: false as const,
			kind: 'conflict' as const,
			message: `${updatedBy ?? 'Someone'} changed this answer while you were editing it. Their answer is shown; yours was not saved.`,
			current: { ...existing!, updatedBy }
		};
	}
	if (unchanged) return { ok: true as const, version: currentVersion };
	const version = currentVersion + 1;
	const values = {
		value: input.value,
		comment: input.comment,
		evidence: input.evidence,
		version,
		updatedAt: new Date(),
		updatedBy: ctx.actorId
	};
	const answers = new Map<string, number | null>();
	for (const id of criterionIdsOf([practice]))
		answers.set(id, state.answers.get(id)?.value ?? null);
	answers.set(input.criterionId, input.value);
	const scores = rescore(model, [practice], answers, state.practices);
	const [written] = rowsOf<{ saved: number; token: string | null }>(
		await db.execute(
			answerSaveStatement({
				assessmentId: input.assessmentId,
				criterionId: input.criterionId,
				answer: values,
				scores,
				audit: {
					actorId: ctx.actorId,
					action: 'assessment.answer_changed',
					targetType: 'assessment',
					targetId: input.assessmentId,
					teamId: ctx.teamId,
					detail: {
						criterionId: input.criterionId,
						from: existing
							? { value: existing.value, comment: existing.comment, evidence: existing.evidence }
							: null,
						to: { value: input.value, comment: input.comment, evidence: input.evidence }
					},
					ip: ctx.ip
				},
				unchangedSince: lock ? null : state.token
			})
		)
	);
	if (!written?.saved) return 'changed';
	const saved = { value: input.value, comment: input.comment, evidence: input.evidence, version };
	return {
		ok: true as const,
		version,
		kept: whole
			? afterSave(state, written.token!, input.criterionId, saved, scores.practices)
			: undefined
	};
}

export interface PracticeInput {
	assessmentId: string;
	practiceId: string;
	notApplicable: boolean;
	reason: string;
	target: number | null;
	baseVersion: number;
}

/** Marks a practice not applicable (a reason is required) and sets its target level. */
export async function savePracticeSettings(
	db: Database,
	ctx: TeamActorContext,
	model: Model,
	input: PracticeInput
): Promise<{ ok: true; version: number } | WriteRefusal> {
	const practice = model.practiceById.get(input.practiceId);
	if (!practice)
		return { ok: false, kind: 'invalid', field: 'practiceId', message: 'Unknown practice.' };
	if (input.notApplicable && !input.reason.trim()) {
		return {
			ok: false,
			kind: 'invalid',
			field: 'reason',
			message: 'Say why this practice does not apply to your team.'
		};
	}
	if (
		input.target !== null &&
		!(Number.isInteger(input.target) && input.target >= 1 && input.target <= 4)
	) {
		return {
			ok: false,
			kind: 'invalid',
			field: 'target',
			message: 'Choose a target level from 1 to 4.'
		};
	}
	return db.transaction(async (tx) => {
		const locked = await lockForEdit(tx, input.assessmentId);
		if (locked) return locked;
		const [existing] = await tx
			.select({
				notApplicable: table.assessmentPractice.notApplicable,
				reason: table.assessmentPractice.notApplicableReason,
				target: table.assessmentPractice.target,
				version: table.assessmentPractice.version,
				updatedBy: table.user.name
			})
			.from(table.assessmentPractice)
			.leftJoin(table.user, eq(table.user.id, table.assessmentPractice.updatedBy))
			.where(
				and(
					eq(table.assessmentPractice.assessmentId, input.assessmentId),
					eq(table.assessmentPractice.practiceId, input.practiceId)
				)
			);
		const currentVersion = existing?.version ?? 1;
		if (currentVersion !== input.baseVersion) {
			return {
				ok: false as const,
				kind: 'conflict' as const,
				message: `${existing?.updatedBy ?? 'Someone'} changed this practice's settings while you were editing them. Theirs are shown; yours were not saved.`,
				current: { ...existing!, updatedBy: existing?.updatedBy ?? null }
			};
		}
		const reason = input.notApplicable ? input.reason.trim() : '';
		if (
			existing &&
			existing.notApplicable === input.notApplicable &&
			existing.reason === reason &&
			existing.target === input.target
		) {
			return { ok: true as const, version: currentVersion };
		}
		const values = {
			notApplicable: input.notApplicable,
			notApplicableReason: reason,
			target: input.target,
			version: currentVersion + 1,
			updatedAt: new Date(),
			updatedBy: ctx.actorId
		};
		await tx
			.insert(table.assessmentPractice)
			.values({
				assessmentId: input.assessmentId,
				practiceId: input.practiceId,
				phase: practice.phase,
				...values
			})
			.onConflictDoUpdate({
				target: [table.assessmentPractice.assessmentId, table.assessmentPractice.practiceId],
				set: values
			});
		await recomputeAggregates(tx, model, input.assessmentId);
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'assessment.practice_changed',
			targetType: 'assessment',
			targetId: input.assessmentId,
			teamId: ctx.teamId,
			detail: {
				practiceId: input.practiceId,
				from: existing ?? null,
				to: { notApplicable: input.notApplicable, reason, target: input.target }
			},
			ip: ctx.ip
		});
		return { ok: true as const, version: values.version };
	});
}

/** Rebuilds every stored score from the answers (after a scoring rule or model change). */
export async function rebuildAllScores(db: Database, model: Model): Promise<number> {
	const ids = await db.select({ id: table.assessment.id }).from(table.assessment);
	for (const { id } of ids) {
		await db.transaction((tx) => recomputeScores(tx, model, id));
	}
	return ids.length;
}

/** The assessments of one cycle that a user may see: all for security, leadership and admins, else their teams'. */
export function cycleAssessments(
	db: Database,
	cycleId: string,
	actor: { id: string; role: table.GlobalRole }
) {
	const query = db
		.select({
			team: table.team.name,
			slug: table.team.slug,
			status: table.assessment.status,
			score: table.assessment.score
		})
		.from(table.assessment)
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.orderBy(asc(table.team.name));
	const seesAll = can(actor, 'teams.viewAll');
	return query.where(
		seesAll
			? eq(table.assessment.cycleId, cycleId)
			: and(
					eq(table.assessment.cycleId, cycleId),
					sql`exists (select 1 from ${table.teamMember} where ${table.teamMember.teamId} = ${qualified(table.team.id)} and ${table.teamMember.userId} = ${actor.id})`
				)
	);
}
