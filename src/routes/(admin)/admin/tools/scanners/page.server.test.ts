import { describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { recordUpload } from '$lib/server/findings/record';
import { ranWithoutFindings } from '$lib/server/findings/testing/runs';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { scannerMappings, unmappedScanners } from '$lib/server/tools/scanner-names';
import { actions, load } from './+page.server';

interface Data {
	unmapped: Awaited<ReturnType<typeof unmappedScanners>>;
	mappings: Awaited<ReturnType<typeof scannerMappings>>;
	tools: { id: string; name: string }[];
}

/*
 * The scanner-names page from both sides: an admin sees the names no tool claims and maps one;
 * anyone else is refused, by the page and by its form, and nothing changes.
 */
describe('the admin’s scanner names page', () => {
	const t = testOrganisation();
	const person = (name: string, role: SessionUser['role']): SessionUser => {
		const u = t.org.users.find((x) => x.name === name)!;
		return { id: u.id, email: u.email, name: u.name, role };
	};
	const admin = () => person('Admin', 'admin');
	const event = (user: SessionUser, action = '', fields: Record<string, string> = {}) => {
		const body = new FormData();
		for (const [k, v] of Object.entries(fields)) body.append(k, v);
		const url = new URL(`http://127.0.0.1/admin/tools/scanners${action}`);
		return {
			locals: { db: t.db, user, ip: '203.0.113.7' },
			params: {},
			url,
			request: new Request(url, action ? { method: 'POST', body } : {})
		} as never;
	};
	type Outcome = {
		status?: number;
		data?: { errors: Record<string, string>; target: string };
		notice?: string;
	};
	const post = async (name: 'map' | 'unmap', user: SessionUser, fields: Record<string, string>) => {
		try {
			return (await (actions[name] as (e: never) => Promise<unknown>)(
				event(user, `?/${name}`, fields)
			)) as Outcome;
		} catch (e) {
			return e as Outcome;
		}
	};
	const state = async () => ({
		mappings: await t.db.select().from(table.toolScannerName),
		audit: await t.db.$count(table.auditLog)
	});
	const seed = () =>
		recordUpload(
			t.db,
			{
				teamId: t.org.team('alpha'),
				tokenId: null,
				repository: 'alpha/infra',
				ref: 'main',
				commit: null,
				category: null,
				report: ranWithoutFindings('platform-iac-scan', 'Grype')
			},
			new Date('2026-05-01T09:00:00Z')
		);

	it('shows an admin the names no tool claims, the tools to map them to and the mappings', async () => {
		await seed();
		const data = (await load(event(admin()))) as Data;
		expect(data.unmapped.map((s) => s.key)).toEqual(['platform-iac-scan']);
		expect(data.unmapped[0]!.teams).toEqual([{ name: 'Alpha', slug: 'alpha' }]);
		expect(data.tools.some((x) => x.id === 'checkov')).toBe(true);
		expect(data.mappings.find((m) => m.name === 'semgrep oss')).toMatchObject({
			source: 'catalogue',
			toolId: 'semgrep'
		});
	});

	it('refuses everyone but an admin with 403, to the page and its forms, changing nothing', async () => {
		const before = await state();
		for (const [name, role] of [
			['Ann', 'member'],
			['Bo', 'security'],
			['Cy', 'leadership']
		] as const) {
			const user = person(name, role);
			await expect(load(event(user)), role).rejects.toMatchObject({ status: 403 });
			const mapped = await post('map', user, { scanner: 'platform-iac-scan', toolId: 'checkov' });
			expect(mapped.status, role).toBe(403);
			const removed = await post('unmap', user, { scanner: 'semgrep oss' });
			expect(removed.status, role).toBe(403);
		}
		expect(await state()).toEqual(before);
	});

	it('puts the error beside the tool field for an unknown tool, and stores nothing', async () => {
		const before = await state();
		for (const toolId of ['no-such-tool', '', 'NOT A TOOL', 'x'.repeat(200)]) {
			const result = await post('map', admin(), { scanner: 'platform-iac-scan', toolId });
			expect(result.status, toolId).toBe(400);
			expect(result.data!.target).toBe('platform-iac-scan');
			expect(Object.keys(result.data!.errors), toolId).toEqual(['toolId']);
		}
		expect(await state()).toEqual(before);
	});

	it('maps a name, then removes the admin’s mapping; the catalogue’s stays', async () => {
		const mapped = await post('map', admin(), { scanner: 'platform-iac-scan', toolId: 'checkov' });
		expect(mapped.notice).toContain('Checkov');
		let data = (await load(event(admin()))) as Data;
		expect(data.unmapped).toEqual([]);
		// An admin's own mapping comes first, before the catalogue's.
		expect(data.mappings[0]!.name).toBe('platform-iac-scan');
		expect(data.mappings.find((m) => m.name === 'platform-iac-scan')).toMatchObject({
			source: 'admin',
			toolId: 'checkov',
			byName: 'Admin'
		});
		const again = await post('map', admin(), { scanner: 'platform-iac-scan', toolId: 'grype' });
		expect(again.status).toBe(400);

		const before = await state();
		const catalogue = await post('unmap', admin(), { scanner: 'semgrep oss' });
		expect(catalogue.status).toBe(400);
		expect(await state()).toEqual(before);

		expect((await post('unmap', admin(), { scanner: 'platform-iac-scan' })).notice).toBeTruthy();
		data = (await load(event(admin()))) as Data;
		expect(data.unmapped.map((s) => s.key)).toEqual(['platform-iac-scan']);
		expect((await state()).audit).toBe(before.audit + 1);
	});
});
