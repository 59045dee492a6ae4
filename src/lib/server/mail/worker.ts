import { and, eq, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import { log } from '$lib/server/log';
import type { MailTransport } from './transport';

/** How long an instance holds a claimed email before another may try it (a crash mid-send). */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;
/** Attempts before an email is given up (about a day of backoff). */
export const MAX_ATTEMPTS = 10;
const BATCH = 20;
const KEEP_SENT_MS = 30 * 24 * 60 * 60 * 1000;

/** The wait before retry `attempt` (1-based): 30 s doubling, at most 4 hours. */
export function retryDelayMs(attempt: number): number {
	return Math.min(30_000 * 2 ** (attempt - 1), 4 * 60 * 60 * 1000);
}

interface Claimed {
	id: number;
	to_address: string;
	subject: string;
	text_body: string;
	html_body: string;
	attempts: number;
}

/**
 * Claims due emails for this instance: rows another instance holds are skipped (SKIP LOCKED), and
 * each claimed row's send_after moves past the lease, so nobody else takes it while it is sent.
 */
export async function claimDueEmails(db: Database, now = new Date(), limit = BATCH) {
	// A read first: the worker asks every few seconds, and mostly there is nothing to send.
	const [due] = await db
		.select({ id: table.emailOutbox.id })
		.from(table.emailOutbox)
		.where(
			and(
				isNull(table.emailOutbox.sentAt),
				isNull(table.emailOutbox.failedAt),
				lte(table.emailOutbox.sendAfter, now)
			)
		)
		.limit(1);
	if (!due) return [];
	const lease = new Date(now.getTime() + CLAIM_LEASE_MS);
	const result = await db.execute(sql`
		update ${table.emailOutbox} set send_after = ${lease.toISOString()}::timestamptz, attempts = attempts + 1
		where id in (
			select id from ${table.emailOutbox}
			where sent_at is null and failed_at is null and send_after <= ${now.toISOString()}::timestamptz
			order by send_after, id
			limit ${limit}
			for update skip locked
		)
		returning id, to_address, subject, text_body, html_body, attempts`);
	return rowsOf<Claimed>(result).sort((a, b) => Number(a.id) - Number(b.id));
}

/** Whether an SMTP error will not get better by trying again (a 5xx answer: no such mailbox, refused). */
function isPermanent(e: unknown): boolean {
	const code = (e as { responseCode?: number })?.responseCode;
	return typeof code === 'number' && code >= 500;
}

/** Sends what is due, once each; failures wait and try again, permanent ones stop. Returns counts. */
export async function deliverDueEmails(db: Database, transport: MailTransport, now = new Date()) {
	let sent = 0;
	let failed = 0;
	for (;;) {
		const batch = await claimDueEmails(db, now);
		if (!batch.length) break;
		for (const email of batch) {
			try {
				await transport.send({
					to: email.to_address,
					subject: email.subject,
					text: email.text_body,
					html: email.html_body
				});
				await db
					.update(table.emailOutbox)
					.set({ sentAt: new Date(), lastError: null })
					.where(eq(table.emailOutbox.id, Number(email.id)));
				sent++;
			} catch (e) {
				failed++;
				const message = e instanceof Error ? e.message : String(e);
				const giveUp = isPermanent(e) || email.attempts >= MAX_ATTEMPTS;
				await db
					.update(table.emailOutbox)
					.set({
						lastError: message.slice(0, 500),
						...(giveUp
							? { failedAt: new Date() }
							: { sendAfter: new Date(Date.now() + retryDelayMs(email.attempts)) })
					})
					.where(eq(table.emailOutbox.id, Number(email.id)));
				log.warn('An email could not be sent', {
					id: email.id,
					attempt: email.attempts,
					gaveUp: giveUp,
					error: message
				});
			}
		}
		if (batch.length < BATCH) break;
	}
	return { sent, failed };
}

/** Forgets emails sent or given up more than 30 days ago, and reminders recorded 90 days ago. */
export async function purgeOldEmails(db: Database, now = new Date()) {
	const before = new Date(now.getTime() - KEEP_SENT_MS);
	// Every reminder is about a date at most 30 days back (reminders.ts): its key is done with.
	await db
		.delete(table.reminderSent)
		.where(lt(table.reminderSent.at, new Date(now.getTime() - 3 * KEEP_SENT_MS)));
	await db
		.delete(table.emailOutbox)
		.where(
			or(
				and(isNotNull(table.emailOutbox.sentAt), lt(table.emailOutbox.sentAt, before)),
				and(isNotNull(table.emailOutbox.failedAt), lt(table.emailOutbox.failedAt, before))
			)
		);
}
