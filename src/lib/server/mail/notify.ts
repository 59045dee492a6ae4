import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { getModel } from '$lib/server/model/load-model';
import { getTraining } from '$lib/server/training/load-training';
import {
	chatAssessmentReturned,
	chatCycleOpened,
	chatQuestionAsked
} from '$lib/server/chat/notify';
import { assessmentTeam } from '$lib/server/assessments/assessment-team';
import { queueEmail, queueEmails, queueForPeople, recipientsFor } from './outbox';
import { composeSettings, emailEnabled } from './settings';
import { assessmentReturnedEmail } from './templates/assessment-returned';
import { cycleOpenedEmail } from './templates/cycle-opened';
import { invitationEmail } from './templates/invitation';
import { questionAnsweredEmail } from './templates/question-answered';
import { questionAskedEmail } from './templates/question-asked';
import { trainingAssignedEmail } from './templates/training-assigned';

// Each function runs inside the transaction of the change it reports, so the email (and the
// team's chat message, when it has a webhook) is queued only if the change commits. With email
// off the emails are queued all the same but never sent (outbox.ts); chat does not depend on it.

async function nameOf(tx: Tx, userId: string): Promise<string> {
	const [row] = await tx
		.select({ name: table.user.name })
		.from(table.user)
		.where(eq(table.user.id, userId));
	return row?.name ?? 'Someone';
}

/**
 * Emails an invitation link (it is also shown once to the admin who made it); returns whether it
 * will be sent (email on).
 */
export async function emailInvitation(
	tx: Tx,
	d: { inviterId: string; email: string; token: string; expiresAt: Date }
): Promise<boolean> {
	const settings = composeSettings();
	await queueEmail(tx, {
		kind: 'invitation',
		to: d.email,
		message: invitationEmail(settings.origin, {
			inviterName: await nameOf(tx, d.inviterId),
			token: d.token,
			expiresAt: d.expiresAt
		})
	});
	return emailEnabled();
}

/** Tells each member of every team with an assessment in the new cycle. */
export async function notifyCycleOpened(tx: Tx, cycleId: string): Promise<void> {
	await chatCycleOpened(tx, cycleId);
	const settings = composeSettings();
	const rows = await tx
		.select({
			userId: table.teamMember.userId,
			teamName: table.team.name,
			teamSlug: table.team.slug,
			cycleName: table.cycle.name,
			dueOn: table.cycle.dueOn
		})
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.innerJoin(table.teamMember, eq(table.teamMember.teamId, table.team.id))
		.where(and(eq(table.assessment.cycleId, cycleId), eq(table.team.active, true)));
	const people = new Map(
		(
			await recipientsFor(
				tx,
				'cycle_opened',
				rows.map((r) => r.userId)
			)
		).map((p) => [p.id, p])
	);
	await queueEmails(
		tx,
		rows.flatMap((r) => {
			const person = people.get(r.userId);
			return person
				? [
						{
							kind: 'cycle_opened' as const,
							to: person.email,
							userId: person.id,
							message: cycleOpenedEmail(settings.origin, r)
						}
					]
				: [];
		})
	);
}

/** The assessment's team, cycle and members (active), for the emails about it. */
async function assessmentContext(tx: Tx, assessmentId: string) {
	const row = await assessmentTeam(tx, assessmentId);
	if (!row) return null;
	const members = await tx
		.select({ userId: table.teamMember.userId })
		.from(table.teamMember)
		.where(eq(table.teamMember.teamId, row.teamId));
	return { ...row, memberIds: members.map((m) => m.userId) };
}

/** Tells the team that a reviewer returned its assessment, with the reviewer's comment. */
export async function notifyAssessmentReturned(
	tx: Tx,
	d: { assessmentId: string; reviewerId: string; comment: string }
): Promise<void> {
	await chatAssessmentReturned(tx, d.assessmentId);
	const ctx = await assessmentContext(tx, d.assessmentId);
	if (!ctx) return;
	const reviewerName = await nameOf(tx, d.reviewerId);
	await queueForPeople(
		tx,
		'assessment_returned',
		ctx.memberIds.filter((id) => id !== d.reviewerId),
		(s) => assessmentReturnedEmail(s.origin, { ...ctx, reviewerName, comment: d.comment })
	);
}

/**
 * A message in a question's thread: a reviewer's question or follow-up goes to the team, the
 * team's answer to the reviewers who wrote in the thread. The writer is never told of their own.
 */
export async function notifyQuestionMessage(
	tx: Tx,
	d: {
		step: 'ask' | 'followUp' | 'reply';
		assessmentId: string;
		questionId: string;
		criterionId: string;
		authorId: string;
		body: string;
	}
): Promise<void> {
	if (d.step === 'ask') await chatQuestionAsked(tx, d.assessmentId, d.criterionId);
	const ctx = await assessmentContext(tx, d.assessmentId);
	if (!ctx) return;
	const authorName = await nameOf(tx, d.authorId);
	const criterion = getModel().criterionById.get(d.criterionId)?.text ?? d.criterionId;
	if (d.step !== 'reply') {
		await queueForPeople(
			tx,
			'question_asked',
			ctx.memberIds.filter((id) => id !== d.authorId),
			(s) =>
				questionAskedEmail(s.origin, { ...ctx, askerName: authorName, criterion, body: d.body })
		);
		return;
	}
	const [question] = await tx
		.select({ askedBy: table.reviewQuestion.askedBy })
		.from(table.reviewQuestion)
		.where(eq(table.reviewQuestion.id, d.questionId));
	const writers = await tx
		.selectDistinct({ authorId: table.questionMessage.authorId })
		.from(table.questionMessage)
		.where(
			and(
				eq(table.questionMessage.questionId, d.questionId),
				ne(table.questionMessage.authorId, d.authorId)
			)
		);
	const reviewers = [question?.askedBy, ...writers.map((w) => w.authorId)].filter(
		(id): id is string => !!id && id !== d.authorId && !ctx.memberIds.includes(id)
	);
	await queueForPeople(tx, 'question_answered', reviewers, (s) =>
		questionAnsweredEmail(s.origin, { ...ctx, answererName: authorName, criterion, body: d.body })
	);
}

/** Tells a person a module was assigned to them (or its due date moved). */
export async function notifyTrainingAssigned(
	tx: Tx,
	d: { teamId: string; userId: string; moduleId: string; dueOn: string; assignerId: string }
): Promise<void> {
	if (d.userId === d.assignerId) return;
	const [team] = await tx
		.select({ name: table.team.name })
		.from(table.team)
		.where(inArray(table.team.id, [d.teamId]));
	const assignerName = await nameOf(tx, d.assignerId);
	const moduleTitle = getTraining().moduleById.get(d.moduleId)?.title ?? d.moduleId;
	await queueForPeople(tx, 'training_assigned', [d.userId], (s) =>
		trainingAssignedEmail(s.origin, {
			moduleId: d.moduleId,
			moduleTitle,
			dueOn: d.dueOn,
			teamName: team?.name ?? '',
			assignerName
		})
	);
}
