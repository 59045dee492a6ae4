import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { EmailKind, OptionalKind } from './kinds';
import { composeSettings, emailEnabled, type MailSettings } from './settings';
import type { EmailMessage } from './templates/layout';

/**
 * Queues one email in the caller's transaction: it is sent (by the worker) only if the change
 * that causes it commits. With email off (no SMTP_URL) it is queued as never to be sent: given
 * up at once without an attempt, for the admins' outbox page (queue-view.ts) until it is purged.
 */
export async function queueEmail(tx: Tx, email: QueuedEmail): Promise<void> {
	await queueEmails(tx, [email]);
}

export interface QueuedEmail {
	kind: EmailKind;
	to: string;
	userId?: string | null;
	message: EmailMessage;
}

/** The last error of an email queued while email was off (with no attempt: attempts = 0). */
export const EMAIL_OFF_NOTE = 'Not sent: email is off (no SMTP_URL)';

/** Queues many emails with a few statements (a cycle opening writes one per person of every team). */
export async function queueEmails(tx: Tx, emails: readonly QueuedEmail[]): Promise<void> {
	const off = emailEnabled() ? {} : { failedAt: new Date(), lastError: EMAIL_OFF_NOTE };
	for (let i = 0; i < emails.length; i += 200) {
		await tx.insert(table.emailOutbox).values(
			emails.slice(i, i + 200).map((email) => ({
				kind: email.kind,
				toAddress: email.to,
				userId: email.userId ?? null,
				subject: email.message.subject,
				textBody: email.message.text,
				htmlBody: email.message.html,
				...off
			}))
		);
	}
}

/** The active people among `userIds` who have not turned `kind` off, with their addresses. */
export async function recipientsFor(tx: Tx, kind: OptionalKind, userIds: readonly string[]) {
	const ids = [...new Set(userIds)];
	if (!ids.length) return [];
	const [people, optedOut] = await Promise.all([
		tx
			.select({ id: table.user.id, email: table.user.email, name: table.user.name })
			.from(table.user)
			.where(and(inArray(table.user.id, ids), eq(table.user.active, true))),
		tx
			.select({ userId: table.notificationOptOut.userId })
			.from(table.notificationOptOut)
			.where(
				and(inArray(table.notificationOptOut.userId, ids), eq(table.notificationOptOut.kind, kind))
			)
	]);
	const off = new Set(optedOut.map((o) => o.userId));
	return people.filter((p) => !off.has(p.id));
}

/**
 * Queues an optional kind of email to each person who wants it, each message built for its
 * recipient; returns how many were queued (kept unsent when email is off).
 */
export async function queueForPeople(
	tx: Tx,
	kind: OptionalKind,
	userIds: readonly string[],
	build: (settings: MailSettings, person: { id: string; name: string }) => EmailMessage
): Promise<number> {
	const settings = composeSettings();
	const people = await recipientsFor(tx, kind, userIds);
	await queueEmails(
		tx,
		people.map((person) => ({
			kind,
			to: person.email,
			userId: person.id,
			message: build(settings, person)
		}))
	);
	return people.length;
}
