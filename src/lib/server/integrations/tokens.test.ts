import { describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { setTeamActive } from '$lib/server/teams/teams';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { hashToken } from './token-format';
import { checkToken, createToken, listTokens, revokeToken } from './tokens';

/*
 * Team API tokens against the real database, from the attacker's side: what a stolen,
 * mistyped, revoked, expired or misdirected token gets (refused and audited), and that only the
 * hash is ever stored.
 */
describe('team API tokens', () => {
	const t = testOrganisation();
	const ctx = () => ({ actorId: t.org.user('Ann'), ip: '198.51.100.4' });
	const request = (token: string | null, ip = '203.0.113.9') => ({
		authorization: token === null ? null : `Bearer ${token}`,
		ip,
		path: '/api/v1/scans'
	});
	const lastAudit = async () =>
		(await t.db.select().from(table.auditLog).orderBy(desc(table.auditLog.id)).limit(1))[0]!;

	it('stores only the hash, shows the prefix, and audits the creation without the token', async () => {
		const made = await createToken(t.db, ctx(), t.org.team('alpha'), {
			name: 'CI',
			scopes: ['scans:write'],
			expiresInDays: 90
		});
		expect(made.token.startsWith(made.prefix)).toBe(true);
		const [row] = await t.db.select().from(table.apiToken).where(eq(table.apiToken.id, made.id));
		expect(row!.tokenHash).toBe(hashToken(made.token));
		expect(JSON.stringify(row)).not.toContain(made.token);
		expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(90 * 86_400_000);
		const entry = await lastAudit();
		expect(entry).toMatchObject({ action: 'api_token.created', targetId: made.id });
		expect(JSON.stringify(entry)).not.toContain(made.token);
		const listed = await listTokens(t.db, t.org.team('alpha'));
		expect(listed.map((l) => l.prefix)).toContain(made.prefix);
		expect(JSON.stringify(listed)).not.toContain(row!.tokenHash);
	});

	it('lets a live token act for its team within its scopes and records its last use', async () => {
		const made = await createToken(t.db, ctx(), t.org.team('alpha'), {
			name: 'both',
			scopes: ['scans:write', 'read'],
			expiresInDays: 7
		});
		const ok = await checkToken(t.db, request(made.token), 'scans:write');
		expect(ok).toEqual({
			ok: true,
			caller: {
				tokenId: made.id,
				teamId: t.org.team('alpha'),
				teamSlug: 'alpha',
				scopes: ['scans:write', 'read']
			}
		});
		expect(await checkToken(t.db, request(made.token), 'read', 'alpha')).toMatchObject({
			ok: true
		});
		const [row] = await t.db.select().from(table.apiToken).where(eq(table.apiToken.id, made.id));
		expect(row!.lastUsedIp).toBe('203.0.113.9');
		expect(row!.lastUsedAt).not.toBeNull();
		await checkToken(t.db, request(made.token, '192.0.2.1'), 'read', 'alpha');
		const [again] = await t.db.select().from(table.apiToken).where(eq(table.apiToken.id, made.id));
		expect(again!.lastUsedIp).toBe('192.0.2.1');
	});

	it('answers 401 without a token or with an unknown, mistyped or look-alike one, and audits the tries', async () => {
		expect(await checkToken(t.db, request(null), 'read')).toEqual({
			ok: false,
			status: 401,
			reason: 'missing'
		});
		const made = await createToken(t.db, ctx(), t.org.team('alpha'), {
			name: 'x',
			scopes: ['read'],
			expiresInDays: 7
		});
		const flipped = made.token.slice(0, -1) + (made.token.endsWith('a') ? 'b' : 'a');
		for (const bad of [
			flipped,
			'rampart_pat_' + 'a'.repeat(40),
			"'or'1'='1'--",
			made.token.toUpperCase(),
			made.prefix
		]) {
			const before = (await lastAudit()).id;
			expect(await checkToken(t.db, request(bad), 'read'), bad).toEqual({
				ok: false,
				status: 401,
				reason: 'unknown'
			});
			const entry = await lastAudit();
			expect(entry.id).toBeGreaterThan(before);
			expect(entry).toMatchObject({ action: 'api_token.refused', teamId: null, ip: '203.0.113.9' });
			expect(entry.detail).toMatchObject({ reason: 'unknown' });
			expect(JSON.stringify(entry)).not.toContain(bad);
		}
		expect(
			await checkToken(t.db, { ...request(null), authorization: `Basic ${made.token}` }, 'read')
		).toMatchObject({ status: 401, reason: 'missing' });
	});

	it('answers 403 for a wrong scope, another team, a revoked or expired token, and audits each', async () => {
		const alpha = t.org.team('alpha');
		const upload = await createToken(t.db, ctx(), alpha, {
			name: 'upload only',
			scopes: ['scans:write'],
			expiresInDays: 30
		});
		const refusal = async (token: string, scope: 'read' | 'scans:write', slug: string | null) => {
			const result = await checkToken(t.db, request(token), scope, slug);
			const entry = await lastAudit();
			return { result, entry };
		};
		let r = await refusal(upload.token, 'read', 'alpha');
		expect(r.result).toEqual({ ok: false, status: 403, reason: 'scope' });
		expect(r.entry).toMatchObject({
			action: 'api_token.refused',
			teamId: alpha,
			targetId: upload.id
		});
		expect(r.entry.detail).toMatchObject({ reason: 'scope', scope: 'read', prefix: upload.prefix });

		const reader = await createToken(t.db, ctx(), alpha, {
			name: 'reader',
			scopes: ['read'],
			expiresInDays: 30
		});
		r = await refusal(reader.token, 'read', 'beta');
		expect(r.result).toMatchObject({ status: 403, reason: 'team' });
		// A slug that names no team at all is refused the same way: nothing is told.
		r = await refusal(reader.token, 'read', 'no-such-team');
		expect(r.result).toMatchObject({ status: 403, reason: 'team' });

		expect(await revokeToken(t.db, ctx(), alpha, upload.id)).toBe(true);
		expect(await lastAudit()).toMatchObject({ action: 'api_token.revoked', targetId: upload.id });
		r = await refusal(upload.token, 'scans:write', null);
		expect(r.result).toMatchObject({ status: 403, reason: 'revoked' });
		expect(r.entry.detail).toMatchObject({ reason: 'revoked' });
		// Revoking twice, or another team's token, changes nothing.
		expect(await revokeToken(t.db, ctx(), alpha, upload.id)).toBe(false);
		expect(await revokeToken(t.db, ctx(), t.org.team('beta'), reader.id)).toBe(false);
		expect(await checkToken(t.db, request(reader.token), 'read', 'alpha')).toMatchObject({
			ok: true
		});

		const old = await createToken(
			t.db,
			ctx(),
			alpha,
			{ name: 'old', scopes: ['scans:write'], expiresInDays: 7 },
			new Date(Date.now() - 8 * 86_400_000)
		);
		r = await refusal(old.token, 'scans:write', null);
		expect(r.result).toMatchObject({ status: 403, reason: 'expired' });
	});

	it('ends every token of a team at once when the team is archived', async () => {
		const beta = t.org.team('beta');
		const made = await createToken(t.db, { actorId: t.org.user('Cy'), ip: '' }, beta, {
			name: 'beta ci',
			scopes: ['scans:write', 'read'],
			expiresInDays: 365
		});
		expect(await checkToken(t.db, request(made.token), 'scans:write')).toMatchObject({ ok: true });
		await setTeamActive(t.db, { actorId: t.org.adminId, ip: '' }, beta, false);
		expect(await checkToken(t.db, request(made.token), 'scans:write')).toMatchObject({
			status: 403,
			reason: 'archived'
		});
		expect(await checkToken(t.db, request(made.token), 'read', 'beta')).toMatchObject({
			status: 403,
			reason: 'archived'
		});
		await setTeamActive(t.db, { actorId: t.org.adminId, ip: '' }, beta, true);
	});
});
