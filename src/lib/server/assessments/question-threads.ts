import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { QuestionStatus } from '$lib/server/db/schema';

export interface ThreadMessage {
	id: string;
	/** The author's name; null when their account is gone. */
	author: string | null;
	/** Written by a member of the team (an answer), not by the security team. */
	fromTeam: boolean;
	body: string;
	at: Date;
}

/** A reviewer's question on one criterion with its messages, oldest first (the first is the question). */
export interface Thread {
	id: string;
	criterionId: string;
	status: QuestionStatus;
	askedAt: Date;
	messages: ThreadMessage[];
}

/**
 * An assessment's questions and their messages in one query, oldest question first: every
 * question, or only those on `criterionIds` (a phase page reads its own criteria only).
 */
export async function loadThreads(
	db: Tx,
	assessment: { id: string; teamId: string },
	criterionIds?: readonly string[]
): Promise<Thread[]> {
	const q = table.reviewQuestion;
	const m = table.questionMessage;
	const rows = await db
		.select({
			id: q.id,
			criterionId: q.criterionId,
			status: q.status,
			askedAt: q.createdAt,
			messageId: m.id,
			body: m.body,
			at: m.createdAt,
			author: table.user.name,
			member: table.teamMember.userId
		})
		.from(q)
		.innerJoin(m, eq(m.questionId, q.id))
		.leftJoin(table.user, eq(table.user.id, m.authorId))
		.leftJoin(
			table.teamMember,
			and(eq(table.teamMember.teamId, assessment.teamId), eq(table.teamMember.userId, m.authorId))
		)
		.where(
			and(
				eq(q.assessmentId, assessment.id),
				criterionIds ? inArray(q.criterionId, [...criterionIds]) : undefined
			)
		)
		.orderBy(asc(q.createdAt), asc(q.id), asc(m.createdAt), asc(m.id));
	return groupThreads(rows);
}

/** One row per message, as the thread queries read them. */
export interface ThreadRow {
	id: string;
	criterionId: string;
	status: QuestionStatus;
	askedAt: Date;
	messageId: string;
	body: string;
	at: Date;
	author: string | null;
	member: string | null;
}

/** Messages ordered by question then time, grouped into threads. */
export function groupThreads(rows: readonly ThreadRow[]): Thread[] {
	const threads: Thread[] = [];
	for (const r of rows) {
		let thread = threads.at(-1);
		if (thread?.id !== r.id) {
			thread = {
				id: r.id,
				criterionId: r.criterionId,
				status: r.status,
				askedAt: r.askedAt,
				messages: []
			};
			threads.push(thread);
		}
		thread.messages.push({
			id: r.messageId,
			author: r.author,
			fromTeam: r.member !== null,
			body: r.body,
			at: r.at
		});
	}
	return threads;
}

/** Threads grouped by criterion id, in the order given. */
export function threadsByCriterion(threads: readonly Thread[]): Record<string, Thread[]> {
	const out: Record<string, Thread[]> = {};
	for (const t of threads) (out[t.criterionId] ??= []).push(t);
	return out;
}

/** How many of an assessment's questions are open: while any is, the assessment cannot be approved. */
export async function openQuestionCount(db: Tx, assessmentId: string): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(table.reviewQuestion)
		.where(
			and(
				eq(table.reviewQuestion.assessmentId, assessmentId),
				eq(table.reviewQuestion.status, 'open')
			)
		);
	return row?.n ?? 0;
}
