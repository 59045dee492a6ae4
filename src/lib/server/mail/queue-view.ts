import { and, desc, eq, gt, isNotNull, isNull, ne, type SQL } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { webhookHost } from '$lib/server/chat/settings';

/**
 * What /admin/outbox shows of the email and chat queues: the newest OUTBOX_LIMIT rows of each,
 * filtered by state. A chat message shows its team and its webhook's host only (the address is
 * a secret). An email's text can be read only when it was kept unsent because email was off.
 */
export const OUTBOX_LIMIT = 100;

export const outboxFilters = ['waiting', 'failed', 'sent', 'off'] as const;
export type OutboxFilter = (typeof outboxFilters)[number];

/** The ?state= filter, or null (everything) when absent or unknown. */
export function parseOutboxFilter(value: string | null): OutboxFilter | null {
	return (outboxFilters as readonly string[]).includes(value ?? '')
		? (value as OutboxFilter)
		: null;
}

/** An email's id from the address, or null unless it is a plain positive whole number. */
export function parseOutboxId(value: string): number | null {
	if (!/^[1-9][0-9]{0,15}$/.test(value)) return null;
	const id = Number(value);
	return Number.isSafeInteger(id) ? id : null;
}

interface QueueColumns {
	attempts: number;
	sendAfter: Date;
	sentAt: Date | null;
	failedAt: Date | null;
}

export type QueueState =
	| { state: 'off' }
	| { state: 'sent'; at: Date }
	| { state: 'failed'; at: Date; attempts: number }
	| { state: 'retrying'; attempts: number; next: Date }
	| { state: 'waiting'; next: Date };

/** A row's state: kept unsent (email off: given up without an attempt), sent, failed, retrying or waiting. */
export function queueState(row: QueueColumns): QueueState {
	if (row.failedAt && row.attempts === 0) return { state: 'off' };
	if (row.sentAt) return { state: 'sent', at: row.sentAt };
	if (row.failedAt) return { state: 'failed', at: row.failedAt, attempts: row.attempts };
	if (row.attempts > 0) return { state: 'retrying', attempts: row.attempts, next: row.sendAfter };
	return { state: 'waiting', next: row.sendAfter };
}

type Outbox = typeof table.emailOutbox | typeof table.chatOutbox;

function stateWhere(t: Outbox, filter: OutboxFilter | null): SQL | undefined {
	switch (filter) {
		case 'waiting':
			return and(isNull(t.sentAt), isNull(t.failedAt));
		case 'failed':
			return and(isNotNull(t.failedAt), gt(t.attempts, 0));
		case 'sent':
			return isNotNull(t.sentAt);
		case 'off':
			return and(isNotNull(t.failedAt), eq(t.attempts, 0));
		default:
			return undefined;
	}
}

const queueColumns = (t: Outbox) => ({
	id: t.id,
	kind: t.kind,
	createdAt: t.createdAt,
	attempts: t.attempts,
	sendAfter: t.sendAfter,
	sentAt: t.sentAt,
	failedAt: t.failedAt,
	lastError: t.lastError
});

/** The newest emails and chat messages in the state asked for (all states without a filter). */
export async function readOutbox(db: Database, filter: OutboxFilter | null) {
	const e = table.emailOutbox;
	const c = table.chatOutbox;
	const [emails, chats] = await Promise.all([
		db
			.select({ ...queueColumns(e), to: e.toAddress, subject: e.subject })
			.from(e)
			.where(stateWhere(e, filter))
			.orderBy(desc(e.id))
			.limit(OUTBOX_LIMIT),
		// Chat is never kept unsent: the "off" filter shows none.
		filter === 'off'
			? []
			: db
					.select({
						...queueColumns(c),
						teamName: table.team.name,
						webhook: table.teamChatWebhook.url
					})
					.from(c)
					.innerJoin(table.team, eq(table.team.id, c.teamId))
					.leftJoin(table.teamChatWebhook, eq(table.teamChatWebhook.teamId, c.teamId))
					.where(stateWhere(c, filter))
					.orderBy(desc(c.id))
					.limit(OUTBOX_LIMIT)
	]);
	return {
		emails: emails.map((row) => ({ ...row, readable: readable(row), ...queueState(row) })),
		chats: chats.map(({ webhook, ...row }) => ({
			...row,
			host: webhook ? webhookHost(webhook) : null,
			...queueState(row)
		}))
	};
}

/** Whether an admin may read an email's text: kept unsent while email was off, never a reset link. */
function readable(row: { kind: string } & QueueColumns): boolean {
	return queueState(row).state === 'off' && row.kind !== 'password_reset';
}

/** One email kept unsent while email was off, with its plain text; null for any other id. */
export async function readUnsentEmail(db: Database, id: number) {
	const e = table.emailOutbox;
	const [row] = await db
		.select({
			id: e.id,
			kind: e.kind,
			to: e.toAddress,
			subject: e.subject,
			text: e.textBody,
			createdAt: e.createdAt
		})
		.from(e)
		.where(
			and(eq(e.id, id), isNotNull(e.failedAt), eq(e.attempts, 0), ne(e.kind, 'password_reset'))
		);
	return row ?? null;
}
