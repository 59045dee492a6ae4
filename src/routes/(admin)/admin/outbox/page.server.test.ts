import { beforeAll, describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { createInvitation } from '$lib/server/users/invitations';
import { load } from './+page.server';
import { load as emailLoad } from './email/[id]/+page.server';

/*
 * The outbox pages from both sides, with email off: an admin sees the queues and reads an unsent
 * email; security, leadership and member users are refused both pages; ids that are not an
 * unsent email are not found.
 */
describe('the admin’s outbox pages', () => {
	const t = testOrganisation();
	let invitationId = 0;
	const person = (role: SessionUser['role']): SessionUser => {
		const u = t.org.users.find((x) => x.name === (role === 'admin' ? 'Admin' : 'Bo'))!;
		return { id: u.id, email: u.email, name: u.name, role };
	};
	const event = (user: SessionUser, path: string, params: Record<string, string> = {}) =>
		({
			locals: { db: t.db, user, ip: '203.0.113.7' },
			params,
			url: new URL(`http://127.0.0.1${path}`)
		}) as never;
	const outcome = async (run: () => Promise<unknown>) => {
		try {
			return { data: (await run()) as Record<string, unknown> };
		} catch (e) {
			return e as { status: number };
		}
	};
	const list = (user: SessionUser, query = '') =>
		outcome(() => load(event(user, `/admin/outbox${query}`)) as Promise<unknown>);
	const read = (user: SessionUser, id: string) =>
		outcome(() => emailLoad(event(user, `/admin/outbox/email/${id}`, { id })) as Promise<unknown>);

	beforeAll(async () => {
		delete process.env.SMTP_URL;
		const inv = await createInvitation(
			t.db,
			{ actorId: t.org.user('Admin'), ip: '' },
			{ email: 'new@example.org', role: 'member' }
		);
		if (!inv.ok) throw new Error('refused');
		const rows = await t.db.select().from(table.emailOutbox);
		invitationId = rows.find((r) => r.toAddress === 'new@example.org')!.id;
	});

	it('shows an admin the unsent invitation, and its text', async () => {
		const page = await list(person('admin'), '?state=off');
		expect(page).toMatchObject({ data: { filter: 'off', emailOn: false } });
		const emails = (page as { data: { emails: { id: number; state: string }[] } }).data.emails;
		expect(emails[0]).toMatchObject({ id: invitationId, state: 'off' });
		expect(emails.every((e) => e.state === 'off')).toBe(true);
		const email = await read(person('admin'), String(invitationId));
		expect(email).toMatchObject({ data: { email: { to: 'new@example.org' } } });
	});

	for (const role of ['security', 'leadership', 'member'] as const) {
		it(`refuses a ${role} user both pages`, async () => {
			expect(await list(person(role))).toMatchObject({ status: 403 });
			expect(await read(person(role), String(invitationId))).toMatchObject({ status: 403 });
		});
	}

	it('finds no email for an id that is not an unsent email', async () => {
		const [sent] = await t.db
			.insert(table.emailOutbox)
			.values({
				kind: 'invitation',
				toAddress: 'x@example.org',
				subject: 's',
				textBody: 't',
				htmlBody: '',
				attempts: 1,
				sentAt: new Date()
			})
			.returning({ id: table.emailOutbox.id });
		for (const id of [String(sent!.id), 'abc', '0', '-1', '1.5', `${invitationId}x`, '99999']) {
			expect(await read(person('admin'), id)).toMatchObject({ status: 404 });
		}
	});
});
