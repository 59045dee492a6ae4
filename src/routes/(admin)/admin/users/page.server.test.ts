import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { createInvitations, findUsableInvitation } from '$lib/server/users/invitations';
import { actions } from './+page.server';

/*
 * Inviting many people at once, from the attacker's side: only an admin may, a bad line invites
 * nobody, addresses already known are reported by line, and every invitation is its own link.
 */
describe('inviting many people at once', () => {
	const t = testOrganisation();
	const person = (name: string, role: SessionUser['role']): SessionUser => {
		const u = t.org.users.find((x) => x.name === name)!;
		return { id: u.id, email: u.email, name: u.name, role };
	};
	const admin = () => person('Admin', 'admin');

	const inviteMany = async (user: SessionUser, list: string) => {
		const body = new FormData();
		body.append('list', list);
		const url = new URL('http://127.0.0.1/admin/users?/inviteMany');
		const event = {
			locals: { db: t.db, user, ip: '203.0.113.7' },
			params: {},
			url,
			request: new Request(url, { method: 'POST', body })
		};
		type Outcome = {
			status?: number;
			data?: { problems: { line: number; message: string }[]; values: { list: string } };
			invited?: { email: string; role: string; link: string }[];
		};
		try {
			return (await (actions.inviteMany as (e: never) => Promise<unknown>)(
				event as never
			)) as Outcome;
		} catch (e) {
			// error(403) is thrown: its status is all a refusal carries.
			return e as Outcome;
		}
	};
	/** What an invitation leaves behind: invitations and audit entries. */
	const counts = async () => ({
		invitations: await t.db.$count(table.invitation),
		audit: await t.db.$count(table.auditLog)
	});

	it('refuses everyone but an admin with 403 and creates nothing', async () => {
		const before = await counts();
		for (const [name, role] of [
			['Ann', 'member'],
			['Bo', 'security'],
			['Cy', 'leadership']
		] as const) {
			const result = await inviteMany(person(name, role), 'mallory@example.com admin');
			expect(result.status, role).toBe(403);
		}
		expect(await counts()).toEqual(before);
	});

	it('invites nobody when one line is bad, and names each bad line', async () => {
		const before = await counts();
		const result = await inviteMany(
			admin(),
			['new1@example.com member', 'new2@example.com overlord', '', 'new3@example.com'].join('\n')
		);
		expect(result.status).toBe(400);
		expect(result.data!.problems).toEqual([
			{ line: 2, message: '“overlord” is not a role: use member, security, leadership or admin.' }
		]);
		// The list comes back to be fixed.
		expect(result.data!.values.list).toContain('new2@example.com overlord');
		expect(await counts()).toEqual(before);
	});

	it('reports duplicates, existing users (active or not) and waiting invitations by line', async () => {
		const pending = await inviteMany(admin(), 'waiting@example.com');
		expect(pending.invited).toHaveLength(1);
		const before = await counts();
		const dee = t.org.users.find((u) => u.name === 'Dee')!;
		expect(dee.active).toBe(false);
		const result = await inviteMany(
			admin(),
			[
				'fresh@example.com',
				'ann@example.com security',
				'fresh@example.com admin',
				`${dee.email}, member`,
				'WAITING@example.com'
			].join('\n')
		);
		expect(result.status).toBe(400);
		// The list is read first: a duplicate is reported before the database is asked.
		expect(result.data!.problems).toEqual([
			{ line: 3, message: 'fresh@example.com is already on line 1.' }
		]);
		const second = await inviteMany(
			admin(),
			[
				'fresh@example.com',
				'ann@example.com security',
				`${dee.email}, member`,
				'WAITING@example.com'
			].join('\n')
		);
		expect(second.status).toBe(400);
		expect(second.data!.problems).toEqual([
			{ line: 2, message: 'ann@example.com already has an account.' },
			{ line: 3, message: `${dee.email} already has an account.` },
			{
				line: 4,
				message:
					'waiting@example.com already has an invitation waiting (revoke it to send a new link).'
			}
		]);
		expect(await counts()).toEqual(before);
	});

	it('gives each person a link of their own, shown once, and audits each invitation', async () => {
		const before = await counts();
		const result = await inviteMany(
			admin(),
			'one@example.com member\ntwo@example.com, security\nthree@example.com leadership'
		);
		expect(result.invited!.map((i) => [i.email, i.role])).toEqual([
			['one@example.com', 'member'],
			['two@example.com', 'security'],
			['three@example.com', 'leadership']
		]);
		const tokens = result.invited!.map((i) => new URL(i.link).pathname.split('/').pop()!);
		expect(new Set(tokens).size).toBe(3);
		for (const [i, token] of tokens.entries()) {
			expect(await findUsableInvitation(t.db, token)).toMatchObject({
				email: result.invited![i]!.email,
				role: result.invited![i]!.role
			});
		}
		// Only hashes are stored: no token appears in any row.
		const rows = JSON.stringify(await t.db.select().from(table.invitation));
		for (const token of tokens) expect(rows).not.toContain(token);
		expect(await counts()).toEqual({
			invitations: before.invitations + 3,
			audit: before.audit + 3
		});
		const audited = await t.db
			.select({ detail: table.auditLog.detail })
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'invitation.created'));
		expect(audited.map((a) => (a.detail as { email: string }).email)).toEqual(
			expect.arrayContaining(['one@example.com', 'two@example.com', 'three@example.com'])
		);
	});

	it('writes all or nothing: a failure on the third insert leaves no invitation behind', async () => {
		const before = await counts();
		const people = [
			{ email: 'a1@example.com', role: 'member' as const },
			{ email: 'a2@example.com', role: 'member' as const },
			// Not a role the database accepts: the insert fails inside the transaction.
			{ email: 'a3@example.com', role: 'owner' as never }
		];
		await expect(
			createInvitations(t.db, { actorId: t.org.adminId, ip: '127.0.0.1' }, people)
		).rejects.toThrow();
		expect(await counts()).toEqual(before);
	});
});
