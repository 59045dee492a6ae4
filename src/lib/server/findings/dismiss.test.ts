import { describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { dismissFinding, restoreFinding } from './dismiss';
import { recordUpload } from './record';

describe('dismissing a finding', () => {
	const t = testOrganisation();

	it('records the reason, who and when, audits it, and only for the finding’s own team', async () => {
		await recordUpload(t.db, {
			teamId: t.org.team('alpha'),
			tokenId: null,
			repository: 'a/b',
			ref: null,
			commit: null,
			category: null,
			report: {
				format: 'sarif',
				tools: [{ name: 'Semgrep', version: null }],
				findings: [
					{
						key: 'k'.repeat(64),
						tool: { name: 'Semgrep', version: null },
						ruleId: 'r1',
						ruleName: null,
						severity: 'high',
						message: 'm',
						help: null,
						location: { path: 'src/a.ts', startLine: 1, endLine: 1 },
						suppressed: null
					}
				],
				results: 1,
				skipped: 0,
				components: null
			}
		});
		const [f] = await t.db.select().from(table.finding);
		const ctx = { actorId: t.org.user('Bo'), ip: '192.0.2.7' };
		// Beta's lead names Alpha's finding through Beta: nothing happens.
		expect(
			await dismissFinding(
				t.db,
				{ actorId: t.org.user('Cy'), ip: '' },
				t.org.team('beta'),
				f!.id,
				'x'
			)
		).toBe(false);
		expect(await restoreFinding(t.db, ctx, t.org.team('beta'), f!.id)).toBe(false);
		const at = new Date('2026-05-02T10:00:00Z');
		expect(await dismissFinding(t.db, ctx, t.org.team('alpha'), f!.id, 'Test fixture', at)).toBe(
			true
		);
		expect(await dismissFinding(t.db, ctx, t.org.team('alpha'), f!.id, 'again')).toBe(false);
		const [after] = await t.db.select().from(table.finding).where(eq(table.finding.id, f!.id));
		expect(after).toMatchObject({
			dismissedAt: at,
			dismissedBy: t.org.user('Bo'),
			dismissedReason: 'Test fixture',
			state: 'open'
		});
		const [entry] = await t.db
			.select()
			.from(table.auditLog)
			.orderBy(desc(table.auditLog.id))
			.limit(1);
		expect(entry).toMatchObject({
			action: 'finding.dismissed',
			targetId: f!.id,
			teamId: t.org.team('alpha'),
			ip: '192.0.2.7',
			detail: { reason: 'Test fixture', ruleId: 'r1', path: 'src/a.ts' }
		});
		expect(await restoreFinding(t.db, ctx, t.org.team('alpha'), f!.id)).toBe(true);
		const [restored] = await t.db.select().from(table.finding).where(eq(table.finding.id, f!.id));
		expect(restored).toMatchObject({ dismissedAt: null, dismissedReason: null });
	});
});
