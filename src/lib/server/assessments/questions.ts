import { and, eq } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { QuestionStatus } from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { canOnTeam, type Actor, type Membership } from '$lib/server/auth/policy';
import type { Model } from '$lib/server/model/types';
import type { ActorContext } from '$lib/server/users/accounts';
import { questionBody } from '$lib/schemas/question';
import { notifyQuestionMessage } from '$lib/server/mail/notify';
import { reviewRightOn } from './review';
import {
	questionStatusAfter,
	questionStepRefusal,
	type QuestionStateRefusal,
	type QuestionStep
} from './question-workflow';

/** Why a question write was refused; the routes word it (see $lib/question-messages). */
export type QuestionRefusal =
	| QuestionStateRefusal
	| 'unknownAssessment'
	| 'unknownCriterion'
	| 'unknownQuestion'
	| 'notReviewer'
	| 'ownTeam'
	| 'notMember';

export type QuestionResult =
	| { ok: true; questionId: string }
	| { ok: false; code: QuestionRefusal }
	| { ok: false; code: 'body'; message: string };

type Context = ActorContext & { actor: Actor };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const refuse = (code: QuestionRefusal) => ({ ok: false as const, code });

/** The shared free-text rule, checked here too: a caller that skipped the form schema stores nothing. */
function checkBody(body: string): { ok: true; body: string } | { ok: false; message: string } {
	const parsed = questionBody.safeParse(body);
	return parsed.success
		? { ok: true, body: parsed.data }
		: { ok: false, message: parsed.error.issues[0]?.message ?? 'Check your message.' };
}

/** The assessment's state and team, its row locked: approval takes the same lock, so the two never cross. */
async function lockAssessment(tx: Tx, assessmentId: string) {
	if (!UUID.test(assessmentId)) return undefined;
	const [row] = await tx
		.select({
			status: table.assessment.status,
			cycleStatus: table.cycle.status,
			teamId: table.assessment.teamId
		})
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.where(eq(table.assessment.id, assessmentId))
		.for('update', { of: table.assessment });
	return row;
}

/** A question of this assessment, its row locked; a question of another assessment is unknown here. */
async function lockQuestion(tx: Tx, assessmentId: string, questionId: string) {
	if (!UUID.test(questionId)) return undefined;
	const [row] = await tx
		.select({ status: table.reviewQuestion.status, criterionId: table.reviewQuestion.criterionId })
		.from(table.reviewQuestion)
		.where(
			and(
				eq(table.reviewQuestion.id, questionId),
				eq(table.reviewQuestion.assessmentId, assessmentId)
			)
		)
		.for('update');
	return row;
}

async function membershipOf(tx: Tx, teamId: string, userId: string): Promise<Membership | null> {
	const [row] = await tx
		.select({ role: table.teamMember.role, champion: table.teamMember.champion })
		.from(table.teamMember)
		.where(and(eq(table.teamMember.teamId, teamId), eq(table.teamMember.userId, userId)));
	return row ?? null;
}

/** Who may take the step: the reviewer's right (separation of duties) or the team's membership. */
async function actorRefusal(
	tx: Tx,
	ctx: Context,
	teamId: string,
	step: QuestionStep
): Promise<QuestionRefusal | null> {
	const membership = await membershipOf(tx, teamId, ctx.actorId);
	if (step === 'reply')
		return canOnTeam(ctx.actor, membership, 'answerQuestions') ? null : 'notMember';
	const right = await reviewRightOn(tx, ctx.actor, teamId, membership);
	if (right.allowed) return null;
	return right.reason === 'ownTeam' ? 'ownTeam' : 'notReviewer';
}

const auditActions: Record<QuestionStep, string> = {
	ask: 'question.asked',
	followUp: 'question.followed_up',
	reply: 'question.answered',
	withdraw: 'question.withdrawn'
};

/** A reviewer asks the team about one criterion of a submitted assessment; the question is open until answered. */
export async function askQuestion(
	db: Database,
	ctx: Context,
	model: Model,
	input: { assessmentId: string; criterionId: string; body: string }
): Promise<QuestionResult> {
	const body = checkBody(input.body);
	if (!body.ok) return { ok: false, code: 'body', message: body.message };
	if (!model.criterionById.has(input.criterionId)) return refuse('unknownCriterion');
	return db.transaction(async (tx) => {
		const assessment = await lockAssessment(tx, input.assessmentId);
		if (!assessment) return refuse('unknownAssessment');
		const who = await actorRefusal(tx, ctx, assessment.teamId, 'ask');
		if (who) return refuse(who);
		const state = questionStepRefusal(assessment, null, 'ask');
		if (state) return refuse(state);
		const [question] = await tx
			.insert(table.reviewQuestion)
			.values({
				assessmentId: input.assessmentId,
				criterionId: input.criterionId,
				status: questionStatusAfter.ask,
				askedBy: ctx.actorId
			})
			.returning({ id: table.reviewQuestion.id });
		await tx
			.insert(table.questionMessage)
			.values({ questionId: question!.id, authorId: ctx.actorId, body: body.body });
		await audit(tx, {
			actorId: ctx.actorId,
			action: auditActions.ask,
			targetType: 'assessment',
			targetId: input.assessmentId,
			teamId: assessment.teamId,
			detail: { questionId: question!.id, criterionId: input.criterionId, body: body.body },
			ip: ctx.ip
		});
		await notifyQuestionMessage(tx, {
			step: 'ask',
			assessmentId: input.assessmentId,
			questionId: question!.id,
			criterionId: input.criterionId,
			authorId: ctx.actorId,
			body: body.body
		});
		return { ok: true as const, questionId: question!.id };
	});
}

/**
 * A message on an existing question, and the status it leads to: the reviewer's follow-up opens
 * the question again, the team's answer marks it answered, a withdrawal (no message) closes it.
 */
async function addToThread(
	db: Database,
	ctx: Context,
	step: Exclude<QuestionStep, 'ask'>,
	input: { assessmentId: string; questionId: string; body?: string }
): Promise<QuestionResult> {
	let text: string | null = null;
	if (step !== 'withdraw') {
		const body = checkBody(input.body ?? '');
		if (!body.ok) return { ok: false, code: 'body', message: body.message };
		text = body.body;
	}
	return db.transaction(async (tx) => {
		const assessment = await lockAssessment(tx, input.assessmentId);
		if (!assessment) return refuse('unknownAssessment');
		const who = await actorRefusal(tx, ctx, assessment.teamId, step);
		if (who) return refuse(who);
		const question = await lockQuestion(tx, input.assessmentId, input.questionId);
		if (!question) return refuse('unknownQuestion');
		const state = questionStepRefusal(assessment, question.status, step);
		if (state) return refuse(state);
		const to: QuestionStatus = questionStatusAfter[step];
		if (text !== null)
			await tx
				.insert(table.questionMessage)
				.values({ questionId: input.questionId, authorId: ctx.actorId, body: text });
		await tx
			.update(table.reviewQuestion)
			.set({ status: to, updatedAt: new Date() })
			.where(eq(table.reviewQuestion.id, input.questionId));
		await audit(tx, {
			actorId: ctx.actorId,
			action: auditActions[step],
			targetType: 'assessment',
			targetId: input.assessmentId,
			teamId: assessment.teamId,
			detail: {
				questionId: input.questionId,
				criterionId: question.criterionId,
				...(question.status !== to ? { from: question.status, to } : {}),
				...(text !== null ? { body: text } : {})
			},
			ip: ctx.ip
		});
		if (text !== null && step !== 'withdraw')
			await notifyQuestionMessage(tx, {
				step,
				assessmentId: input.assessmentId,
				questionId: input.questionId,
				criterionId: question.criterionId,
				authorId: ctx.actorId,
				body: text
			});
		return { ok: true as const, questionId: input.questionId };
	});
}

/** The reviewer adds to a question (answered or still open); it is open again until the team answers. */
export function followUpQuestion(
	db: Database,
	ctx: Context,
	input: { assessmentId: string; questionId: string; body: string }
) {
	return addToThread(db, ctx, 'followUp', input);
}

/** A member of the team answers a question; it no longer blocks approval. */
export function answerQuestion(
	db: Database,
	ctx: Context,
	input: { assessmentId: string; questionId: string; body: string }
) {
	return addToThread(db, ctx, 'reply', input);
}

/** The reviewer withdraws an open question; it no longer blocks approval and takes no more messages. */
export function withdrawQuestion(
	db: Database,
	ctx: Context,
	input: { assessmentId: string; questionId: string }
) {
	return addToThread(db, ctx, 'withdraw', input);
}
