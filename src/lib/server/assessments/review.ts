import { and, asc, eq, inArray, notExists, sql } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { openQuestionCount } from './question-threads';
import {
	reviewRight,
	rolesWith,
	type Actor,
	type Membership,
	type ReviewRight
} from '$lib/server/auth/policy';
import type { ActorContext } from '$lib/server/users/accounts';
import type { Model } from '$lib/server/model/types';
import { stepAllowed, transitions, type Transition } from './workflow';
import { assessmentProgressOf } from './overview';
import { unansweredCount } from './progress';
import { notifyAssessmentReturned } from '$lib/server/mail/notify';

export type TransitionResult = { ok: true } | { ok: false; field: string; message: string };

/** Active users who may review assessments and are not members of the team. */
export async function reviewersOutsideTeam(db: Tx, teamId: string): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(table.user)
		.where(
			and(
				eq(table.user.active, true),
				inArray(table.user.role, rolesWith('assessments.review')),
				notExists(
					db
						.select({ one: sql`1` })
						.from(table.teamMember)
						.where(
							and(eq(table.teamMember.teamId, teamId), eq(table.teamMember.userId, table.user.id))
						)
				)
			)
		);
	return row?.n ?? 0;
}

/** Whether this person may approve or return this team's assessment (see policy.reviewRight). */
export async function reviewRightOn(
	db: Tx,
	actor: Actor,
	teamId: string,
	membership: Membership | null
): Promise<ReviewRight> {
	// Only a member of the team needs the count: an outsider with the role may always review.
	const outside = membership ? await reviewersOutsideTeam(db, teamId) : 0;
	return reviewRight(actor, membership, outside);
}

async function membershipOf(db: Tx, teamId: string, userId: string): Promise<Membership | null> {
	const [row] = await db
		.select({ role: table.teamMember.role, champion: table.teamMember.champion })
		.from(table.teamMember)
		.where(and(eq(table.teamMember.teamId, teamId), eq(table.teamMember.userId, userId)));
	return row ?? null;
}

const refusals: Record<Exclude<ReviewRight, { allowed: true }>['reason'], string> = {
	role: 'Only the security team reviews assessments.',
	ownTeam:
		'You belong to this team: someone outside it reviews its assessment (separation of duties).'
};

/** Why an assessment with open questions cannot be approved yet. */
function openQuestionsRefusal(open: number): string {
	const questions = open === 1 ? '1 open question' : `${open} open questions`;
	return `Not approved: ${questions} to the team. Approve once each is answered or withdrawn, or return the assessment.`;
}

/**
 * Moves an assessment through draft → submitted → approved / returned. Who may submit is
 * decided by the route's team access; approving and returning are checked here as well, inside
 * the transaction, against the separation-of-duties rule. A return needs a comment.
 */
export async function transitionAssessment(
	db: Database,
	ctx: ActorContext & { actor: Actor; teamId: string },
	assessmentId: string,
	step: Transition,
	comment = '',
	/** For a submission: the model, and how many unanswered criteria the lead confirmed as "no". */
	submission?: { model: Model; confirmedUnanswered: number }
): Promise<TransitionResult> {
	if (step === 'return' && !comment.trim()) {
		return {
			ok: false,
			field: 'comment',
			message: 'Say what the team should change before resubmitting.'
		};
	}
	const { to } = transitions[step];
	return db.transaction(async (tx) => {
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
		if (!row) return { ok: false as const, field: 'form', message: 'Unknown assessment.' };
		if (row.cycleStatus === 'closed') {
			return {
				ok: false as const,
				field: 'form',
				message: 'This cycle is closed: its assessments are read-only.'
			};
		}
		if (!stepAllowed(row, step)) {
			return {
				ok: false as const,
				field: 'form',
				message: `An assessment that is ${row.status} cannot be ${to === 'submitted' ? 'submitted' : to}.`
			};
		}
		const now = new Date();
		let selfReview = false;
		let unanswered = 0;
		if (step === 'submit') {
			if (!submission) throw new Error('Submitting needs the model to count what is unanswered.');
			// Counted here, under the row lock: what the lead confirmed must still be all there is.
			unanswered = unansweredCount(await assessmentProgressOf(tx, submission.model, assessmentId));
			if (unanswered > submission.confirmedUnanswered)
				return {
					ok: false as const,
					field: 'confirmUnanswered',
					message:
						unanswered === 1
							? '1 criterion is unanswered: answer it, or confirm that it is submitted as “no”.'
							: `${unanswered} criteria are unanswered: answer them, or confirm that they are submitted as “no”.`
				};
			await tx
				.update(table.assessment)
				.set({
					status: to,
					submittedAt: now,
					submittedBy: ctx.actorId,
					submittedUnanswered: unanswered || null,
					selfReviewed: false,
					updatedAt: now
				})
				.where(eq(table.assessment.id, assessmentId));
		} else {
			const membership = await membershipOf(tx, row.teamId, ctx.actorId);
			const right = await reviewRightOn(tx, ctx.actor, row.teamId, membership);
			if (!right.allowed)
				return { ok: false as const, field: 'form', message: refusals[right.reason] };
			if (step === 'approve') {
				// Under the row lock that question writes take too: none can open in between.
				const open = await openQuestionCount(tx, assessmentId);
				if (open) return { ok: false as const, field: 'form', message: openQuestionsRefusal(open) };
			}
			await tx
				.update(table.assessment)
				.set({
					status: to,
					reviewedAt: now,
					reviewedBy: ctx.actorId,
					reviewComment: comment.trim(),
					selfReviewed: right.selfReview,
					updatedAt: now
				})
				.where(eq(table.assessment.id, assessmentId));
			selfReview = right.selfReview;
		}
		await audit(tx, {
			actorId: ctx.actorId,
			action: `assessment.${to}`,
			targetType: 'assessment',
			targetId: assessmentId,
			teamId: row.teamId,
			detail: {
				from: row.status,
				to,
				...(comment.trim() ? { comment: comment.trim() } : {}),
				...(unanswered ? { unansweredSubmittedAsNo: unanswered } : {}),
				...(selfReview ? { selfReview: true } : {})
			},
			ip: ctx.ip
		});
		if (step === 'return')
			await notifyAssessmentReturned(tx, {
				assessmentId,
				reviewerId: ctx.actorId,
				comment: comment.trim()
			});
		return { ok: true as const };
	});
}

/**
 * Submitted assessments waiting for review in open cycles, oldest first, each with whether this
 * reviewer may review it (never their own team's while someone outside it could).
 */
export async function listReviewQueue(db: Database, actor: Actor) {
	const rows = await db
		.select({
			teamId: table.team.id,
			team: table.team.name,
			slug: table.team.slug,
			cycle: table.cycle.name,
			submittedAt: table.assessment.submittedAt,
			score: table.assessment.score,
			role: table.teamMember.role,
			champion: table.teamMember.champion
		})
		.from(table.assessment)
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.leftJoin(
			table.teamMember,
			and(eq(table.teamMember.teamId, table.team.id), eq(table.teamMember.userId, actor.id))
		)
		.where(and(eq(table.assessment.status, 'submitted'), eq(table.cycle.status, 'open')))
		.orderBy(asc(table.assessment.submittedAt));
	const own = [...new Set(rows.filter((r) => r.role).map((r) => r.teamId))];
	const outside = new Map<string, number>();
	for (const teamId of own) outside.set(teamId, await reviewersOutsideTeam(db, teamId));
	return rows.map(({ role, champion, teamId, ...r }) => {
		const membership = role ? { role, champion: !!champion } : null;
		return { ...r, review: reviewRight(actor, membership, outside.get(teamId) ?? 0) };
	});
}
