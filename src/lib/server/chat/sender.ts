import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import { log } from '$lib/server/log';
import { CLAIM_LEASE_MS, MAX_ATTEMPTS, retryDelayMs } from '$lib/server/mail/worker';
import { webhookProblem } from './settings';

const BATCH = 20;
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

/** A webhook's answer that trying again will not change (gone, refused), as opposed to 429 or 5xx. */
class PermanentError extends Error {}

/** Posts `{ "text": … }`, which Slack and Teams incoming webhooks both take; follows no redirect. */
export async function postToWebhook(url: string, text: string): Promise<void> {
	const problem = webhookProblem(url);
	if (problem) throw new PermanentError(`The webhook address is no longer allowed: ${problem}`);
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ text }),
		redirect: 'error',
		signal: AbortSignal.timeout(10_000)
	});
	await response.body?.cancel();
	if (response.ok) return;
	const message = `The webhook answered ${response.status}`;
	if (response.status >= 400 && response.status < 500 && response.status !== 429)
		throw new PermanentError(message);
	throw new Error(message);
}

interface Claimed {
	id: number;
	text: string;
	attempts: number;
	url: string | null;
}

/** Claims due messages as the email worker does (SKIP LOCKED and a lease), with each team's webhook. */
export async function claimDueChats(db: Database, now = new Date()): Promise<Claimed[]> {
	const [due] = await db
		.select({ id: table.chatOutbox.id })
		.from(table.chatOutbox)
		.where(
			and(
				isNull(table.chatOutbox.sentAt),
				isNull(table.chatOutbox.failedAt),
				lte(table.chatOutbox.sendAfter, now)
			)
		)
		.limit(1);
	if (!due) return [];
	const lease = new Date(now.getTime() + CLAIM_LEASE_MS);
	const result = await db.execute(sql`
		with claimed as (
			update ${table.chatOutbox} set send_after = ${lease.toISOString()}::timestamptz, attempts = attempts + 1
			where id in (
				select id from ${table.chatOutbox}
				where sent_at is null and failed_at is null and send_after <= ${now.toISOString()}::timestamptz
				order by send_after, id
				limit ${BATCH}
				for update skip locked
			)
			returning id, team_id, text, attempts
		)
		select c.id, c.text, c.attempts, w.url
		from claimed c left join ${table.teamChatWebhook} w on w.team_id = c.team_id
		order by c.id`);
	return rowsOf<Claimed>(result);
}

/** Posts what is due, once each, retrying as email does; a team without a webhook now drops it. */
export async function deliverDueChats(
	db: Database,
	post: (url: string, text: string) => Promise<void> = postToWebhook,
	now = new Date()
) {
	let sent = 0;
	let failed = 0;
	for (;;) {
		const batch = await claimDueChats(db, now);
		for (const message of batch) {
			const id = Number(message.id);
			try {
				if (!message.url) throw new PermanentError('The team has no webhook any more');
				await post(message.url, message.text);
				await db
					.update(table.chatOutbox)
					.set({ sentAt: new Date(), lastError: null })
					.where(eq(table.chatOutbox.id, id));
				sent++;
			} catch (e) {
				failed++;
				const error = e instanceof Error ? e.message : String(e);
				const giveUp = e instanceof PermanentError || message.attempts >= MAX_ATTEMPTS;
				await db
					.update(table.chatOutbox)
					.set({
						lastError: error.slice(0, 500),
						...(giveUp
							? { failedAt: new Date() }
							: { sendAfter: new Date(Date.now() + retryDelayMs(message.attempts)) })
					})
					.where(eq(table.chatOutbox.id, id));
				// The address is a secret: only the message's id is logged.
				log.warn('A chat message could not be posted', { id, gaveUp: giveUp, error });
			}
		}
		if (batch.length < BATCH) break;
	}
	return { sent, failed };
}

/** Forgets messages posted or given up more than 30 days ago. */
export async function purgeOldChats(db: Database, now = new Date()) {
	const before = new Date(now.getTime() - KEEP_MS);
	await db
		.delete(table.chatOutbox)
		.where(
			sql`coalesce(${table.chatOutbox.sentAt}, ${table.chatOutbox.failedAt}) < ${before.toISOString()}::timestamptz`
		);
}
