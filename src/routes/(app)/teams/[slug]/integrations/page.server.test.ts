import { describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { createSession, validateSessionToken } from '$lib/server/auth/session';
import { recordUpload } from '$lib/server/findings/record';
import { ranWithoutFindings } from '$lib/server/findings/testing/runs';
import { hashToken } from '$lib/server/integrations/token-format';
import { checkToken } from '$lib/server/integrations/tokens';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { PersonName, TeamSlug } from '$lib/server/testing/organisation';
import { actions, load } from './+page.server';
import type { PageServerData } from './$types';

/*
 * A team's integrations page from the attacker's side: a member, another team's lead,
 * leadership and a deactivated user neither see nor make nor revoke tokens, and a refused form
 * stores nothing. The lead and the security team do; the token is shown once and only its hash
 * is kept.
 */
describe('a team’s integrations page', () => {
	const t = testOrganisation();
	const person = (name: PersonName, role: SessionUser['role'] = 'member'): SessionUser => {
		const u = t.org.users.find((x) => x.name === name)!;
		return { id: u.id, email: u.email, name: u.name, role };
	};
	const url = (slug: TeamSlug, search = '') =>
		new URL(`http://127.0.0.1/teams/${slug}/integrations${search}`);
	const open = async (user: SessionUser | null, slug: TeamSlug) => {
		try {
			return (await load({
				locals: { db: t.db, user },
				params: { slug },
				url: url(slug)
			} as never)) as PageServerData;
		} catch (e) {
			return e as { status: number };
		}
	};
	const act = async (
		name: keyof typeof actions,
		user: SessionUser | null,
		slug: TeamSlug,
		fields: Record<string, string | string[]>
	) => {
		const body = new FormData();
		for (const [k, v] of Object.entries(fields))
			for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
		try {
			return (await (actions[name] as (e: never) => Promise<unknown>)({
				locals: { db: t.db, user, ip: '198.51.100.23' },
				params: { slug },
				url: url(slug, `?/${name}`),
				request: new Request(url(slug, `?/${name}`), { method: 'POST', body })
			} as never)) as Record<string, unknown>;
		} catch (e) {
			return e as Record<string, unknown>; // error(): { status, body }; redirect(): { status, location }
		}
	};
	const tokenRows = async () =>
		(await t.db.select().from(table.apiToken)).map((r) => JSON.stringify(r)).sort();
	const repositoryRows = async () =>
		(await t.db.select().from(table.codeRepository)).map((r) => JSON.stringify(r)).sort();

	it('shows the lead and the security team the tokens; members and leadership the repositories only', async () => {
		const lead = (await open(person('Ann'), 'alpha')) as PageServerData;
		expect(lead.canManage).toBe(true);
		const security = (await open(person('Fay', 'security'), 'alpha')) as PageServerData;
		expect(security.canManage).toBe(true);
		for (const reader of [person('Bo'), person('Eve', 'leadership')]) {
			const page = (await open(reader, 'alpha')) as PageServerData;
			expect(page.canManage, reader.name).toBe(false);
			expect(page.tokens, reader.name).toEqual([]);
		}
		// Cy leads Beta: Alpha does not exist for him.
		expect(await open(person('Cy'), 'alpha')).toMatchObject({ status: 404 });
		expect(await open(null, 'alpha')).toMatchObject({ status: 303 });
	});

	it('makes a token for the lead, shows it once and keeps only its hash', async () => {
		const result = await act('createToken', person('Ann'), 'alpha', {
			name: 'GitHub Actions',
			scopes: ['scans:write', 'read'],
			expiresInDays: '30'
		});
		const created = (result as { created: { token: string; name: string } }).created;
		expect(created.name).toBe('GitHub Actions');
		const [row] = await t.db
			.select()
			.from(table.apiToken)
			.where(eq(table.apiToken.tokenHash, hashToken(created.token)));
		expect(row).toMatchObject({ teamId: t.org.team('alpha'), scopes: ['scans:write', 'read'] });
		expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(30 * 86_400_000);
		const page = (await open(person('Ann'), 'alpha')) as PageServerData;
		expect(page.tokens.map((x) => x.name)).toContain('GitHub Actions');
		expect(JSON.stringify(page)).not.toContain(created.token);
		expect(JSON.stringify(page)).not.toContain(row!.tokenHash);
		const [entry] = await t.db
			.select()
			.from(table.auditLog)
			.orderBy(desc(table.auditLog.id))
			.limit(1);
		expect(entry).toMatchObject({ action: 'api_token.created', actorId: t.org.user('Ann') });
		// The security team makes one too; it defaults to 90 days.
		const bySecurity = await act('createToken', person('Fay', 'security'), 'alpha', {
			name: 'Security scanner',
			scopes: 'read'
		});
		expect(bySecurity).toMatchObject({ action: 'createToken' });
	});

	it('refuses a member, another team’s lead, leadership and a deactivated user, storing nothing', async () => {
		const before = await tokenRows();
		const fields = { name: 'sneaky', scopes: 'scans:write', expiresInDays: '90' };
		expect(await act('createToken', person('Bo'), 'alpha', fields)).toMatchObject({ status: 403 });
		expect(await act('createToken', person('Cy'), 'alpha', fields)).toMatchObject({ status: 404 });
		expect(await act('createToken', person('Eve', 'leadership'), 'alpha', fields)).toMatchObject({
			status: 403
		});
		// Dee was deactivated: her session no longer signs her in, so she is sent to sign in.
		const { token } = await createSession(t.db, t.org.user('Dee'));
		expect(await validateSessionToken(t.db, token)).toBeNull();
		expect(await act('createToken', null, 'beta', fields)).toMatchObject({ status: 303 });
		expect(await tokenRows()).toEqual(before);
	});

	it('refuses bad values beside their field and stores nothing', async () => {
		const before = await tokenRows();
		const refused: Record<string, string>[] = [
			{ name: '', scopes: 'read' },
			{ name: 'ci\u0000', scopes: 'read' },
			{ name: 'ci', scopes: 'admin' },
			{ name: 'ci' },
			{ name: 'ci', scopes: 'read', expiresInDays: '366' },
			{ name: 'ci', scopes: 'read', expiresInDays: '3650' },
			{ name: 'x'.repeat(81), scopes: 'read' }
		];
		for (const fields of refused) {
			const result = await act('createToken', person('Ann'), 'alpha', fields);
			expect(result, JSON.stringify(fields)).toMatchObject({
				status: 400,
				data: { action: 'createToken' }
			});
		}
		// An archived team gets no new token.
		expect(
			await act('createToken', person('Admin', 'admin'), 'sunset', { name: 'x', scopes: 'read' })
		).toMatchObject({ status: 400 });
		expect(await tokenRows()).toEqual(before);
	});

	it('revokes for the lead only, at once; another team’s token is not reachable', async () => {
		const made = (await act('createToken', person('Ann'), 'alpha', {
			name: 'to revoke',
			scopes: 'scans:write'
		})) as { created: { token: string } };
		const [row] = await t.db
			.select()
			.from(table.apiToken)
			.where(eq(table.apiToken.tokenHash, hashToken(made.created.token)));
		const request = {
			authorization: `Bearer ${made.created.token}`,
			ip: '',
			path: '/api/v1/scans'
		};
		const before = await tokenRows();
		expect(await act('revokeToken', person('Bo'), 'alpha', { tokenId: row!.id })).toMatchObject({
			status: 403
		});
		// Cy leads Beta and names Alpha's token through his own team: nothing happens.
		expect(await act('revokeToken', person('Cy'), 'beta', { tokenId: row!.id })).toMatchObject({
			status: 400
		});
		expect(
			await act('revokeToken', person('Ann'), 'alpha', { tokenId: 'not-a-uuid' })
		).toMatchObject({
			status: 400
		});
		expect(await tokenRows()).toEqual(before);
		expect(await checkToken(t.db, request, 'scans:write')).toMatchObject({ ok: true });
		expect(await act('revokeToken', person('Ann'), 'alpha', { tokenId: row!.id })).toMatchObject({
			action: 'revokeToken'
		});
		expect(await checkToken(t.db, request, 'scans:write')).toMatchObject({ status: 403 });
		expect(await act('revokeToken', person('Ann'), 'alpha', { tokenId: row!.id })).toMatchObject({
			status: 400
		});
	});

	it('lets the lead set a repository’s default branch and web address, checked', async () => {
		const report = ranWithoutFindings(['Gitleaks', null]);
		const up = (slug: TeamSlug) =>
			recordUpload(t.db, {
				teamId: t.org.team(slug),
				tokenId: null,
				repository: 'payments/api',
				ref: null,
				commit: null,
				category: null,
				report
			});
		const alphaRepo = (await up('alpha')).repository!;
		const betaRepo = (await up('beta')).repository!;
		const page = (await open(person('Bo'), 'alpha')) as PageServerData;
		expect(page.repositories.map((r) => [r.name, r.defaultBranch, r.webAddress])).toEqual([
			['payments/api', 'main', null]
		]);
		expect(page.repositories[0]!.lastUploadAt).toBeInstanceOf(Date);
		const before = await repositoryRows();
		for (const fields of [
			{ defaultBranch: 'a..b', webAddress: '' },
			{ defaultBranch: 'refs/pull/1/merge', webAddress: '' },
			{ defaultBranch: 'main', webAddress: 'javascript:alert(1)' },
			{ defaultBranch: 'main', webAddress: 'https://user:pw@git.example.com/x' }
		])
			expect(
				await act('saveRepository', person('Ann'), 'alpha', {
					repositoryId: alphaRepo.id,
					...fields
				}),
				JSON.stringify(fields)
			).toMatchObject({ status: 400, data: { target: alphaRepo.id } });
		expect(
			await act('saveRepository', person('Bo'), 'alpha', {
				repositoryId: alphaRepo.id,
				defaultBranch: 'trunk',
				webAddress: ''
			})
		).toMatchObject({ status: 403 });
		// Beta's repository through Alpha's page: not Alpha's.
		expect(
			await act('saveRepository', person('Ann'), 'alpha', {
				repositoryId: betaRepo.id,
				defaultBranch: 'trunk',
				webAddress: ''
			})
		).toMatchObject({ status: 400 });
		expect(await repositoryRows()).toEqual(before);
		expect(
			await act('saveRepository', person('Ann'), 'alpha', {
				repositoryId: alphaRepo.id,
				defaultBranch: 'refs/heads/trunk',
				webAddress: 'https://git.example.com/payments/api'
			})
		).toMatchObject({ action: 'saveRepository' });
		const after = (await open(person('Ann'), 'alpha')) as PageServerData;
		expect(after.repositories[0]).toMatchObject({
			defaultBranch: 'trunk',
			webAddress: 'https://git.example.com/payments/api'
		});
		const [entry] = await t.db
			.select()
			.from(table.auditLog)
			.orderBy(desc(table.auditLog.id))
			.limit(1);
		expect(entry).toMatchObject({ action: 'repository.updated', targetId: alphaRepo.id });
	});
});
