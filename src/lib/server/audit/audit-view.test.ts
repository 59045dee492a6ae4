import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStatements, createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import { buildOrganisation, type Organisation } from '$lib/server/testing/organisation';
import { deleteOrgUnit } from '$lib/server/teams/org-units';
import { createInvitation } from '$lib/server/users/invitations';
import { AUDIT_PAGE_SIZE, audit } from './audit-log';
import { readableAuditLog, type ReadableAuditEntry } from './audit-view';

const model = loadModel();

describe('the audit log as people read it', () => {
	let handle: DatabaseHandle;
	let org: Organisation;
	let invitationId: string;
	const unknown = '99999999-9999-4999-8999-999999999999';

	beforeAll(async () => {
		handle = await createTestDatabase();
		const db = handle.db;
		org = await buildOrganisation(db, model);
		const ctx = { actorId: org.adminId, ip: '127.0.0.1' };
		await createInvitation(db, ctx, { email: 'new@example.com', role: 'member' });
		invitationId = (await db.select().from(table.invitation))[0]!.id;
		// A unit that no longer exists, a person renamed since, and a rota naming someone unknown.
		expect((await deleteOrgUnit(db, ctx, org.unit('Sales'))).ok).toBe(true);
		await db
			.update(table.user)
			.set({ name: 'Bo Renamed' })
			.where(eq(table.user.id, org.user('Bo')));
		const alpha = org.team('alpha');
		const q2 = org.assessments.find(
			(a) => a.teamId === alpha && a.cycleId === org.cycle('2026-Q2')
		)!;
		await audit(db, {
			...ctx,
			action: 'assessment.submitted',
			targetType: 'assessment',
			targetId: q2.id,
			teamId: alpha,
			detail: { from: 'draft', to: 'submitted' }
		});
		await audit(db, {
			...ctx,
			action: 'rota.saved',
			targetType: 'team',
			targetId: alpha,
			teamId: alpha,
			detail: { rotationWeeks: 1, startsOn: '2026-01-05', members: [org.user('Bo'), unknown] }
		});
	});
	afterAll(() => handle.close());

	/** Every entry, page after page (the organisation writes more than one page). */
	const page = async () => {
		const all: ReadableAuditEntry[] = [];
		for (;;) {
			const next = await readableAuditLog(handle.db, model, { before: all.at(-1)?.id });
			all.push(...next);
			if (next.length < AUDIT_PAGE_SIZE) return all;
		}
	};
	const find = (entries: ReadableAuditEntry[], action: string, targetId?: string) =>
		entries.find((e) => e.action === action && (!targetId || e.target?.id === targetId))!;

	it('names targets and teams by their current names, and keeps their ids', async () => {
		const entries = await page();
		const bo = org.user('Bo');
		const added = entries.find((e) => e.action === 'team.member_added' && e.target?.id === bo)!;
		expect(added.targetType).toBe('user');
		expect(added.target).toEqual({ id: bo, name: 'Bo Renamed' });
		expect(added.team?.name).toMatch(/^(Alpha|Gamma)$/);
		expect(find(entries, 'assessment.submitted').target?.name).toBe('Alpha · 2026-Q2');
		expect(find(entries, 'assessment.submitted').team).toBeNull();
		expect(find(entries, 'invitation.created').target).toEqual({
			id: invitationId,
			name: 'new@example.com'
		});
		expect(find(entries, 'cycle.opened', org.cycle('2026-Q1')).target?.name).toBe('2026-Q1');
		expect(find(entries, 'tool.adoption_changed', 'semgrep').target?.name).toBe('Semgrep');
		expect(find(entries, 'responsibility.changed', 'threat-modeling').target?.name).toBe(
			'Threat modeling'
		);
		expect(find(entries, 'team.archived').target?.name).toMatch(/^(Legacy|Sunset)$/);
		// The rota entry's target is the team it happened in: not named twice.
		expect(find(entries, 'rota.saved').team).toBeNull();
	});

	it('falls back to the id for what no longer exists', async () => {
		const entries = await page();
		const sales = org.unit('Sales');
		expect(find(entries, 'org_unit.deleted').target).toEqual({ id: sales, name: null });
		expect(find(entries, 'org_unit.created', sales).target).toEqual({ id: sales, name: null });
	});

	it('shows the detail with names in place of ids, unknown ids as they are', async () => {
		const entries = await page();
		const rota = entries.find(
			(e) => e.action === 'rota.saved' && JSON.stringify(e.detail).includes(unknown)
		)!;
		expect(rota.detail).toContainEqual({
			label: 'members',
			value: { text: `Bo Renamed, ${unknown}`, ids: `${org.user('Bo')}, ${unknown}` }
		});
		const payments = find(entries, 'org_unit.created', org.unit('Payments'));
		expect(payments.detail).toContainEqual({
			label: 'parent',
			value: { text: 'Engineering', ids: org.unit('Engineering') }
		});
		expect(find(entries, 'assessment.submitted').detail).toEqual([
			{ label: '', from: { text: 'draft' }, value: { text: 'submitted' } }
		]);
		// No raw id is left where a name was found.
		expect(JSON.stringify(payments.detail.map((l) => l.value.text))).not.toContain(
			org.unit('Engineering')
		);
	});

	it.skipIf(!!process.env.DATABASE_URL)(
		'asks one query per kind of record, however many entries a page holds',
		async () => {
			// Sixty entries about sixty different people.
			const people = await handle.db
				.insert(table.user)
				.values(
					Array.from({ length: 60 }, (_, i) => ({
						email: `p${i}@example.com`,
						name: `Person ${i}`,
						passwordHash: 'x'
					}))
				)
				.returning({ id: table.user.id });
			for (const p of people)
				await audit(handle.db, {
					actorId: org.adminId,
					action: 'user.role_changed',
					targetType: 'user',
					targetId: p.id,
					detail: { from: 'member', to: 'security' }
				});
			const counted = async (opts: { before?: number; action?: string }) => {
				const statements = countStatements(handle.db);
				try {
					const entries = await readableAuditLog(handle.db, model, opts);
					return { entries, queries: statements.count };
				} finally {
					statements.stop();
				}
			};
			const full = await counted({ action: 'user.role_changed' });
			expect(full.entries).toHaveLength(50);
			expect(new Set(full.entries.map((e) => e.target!.name)).size).toBe(50);
			const rest = await counted({ action: 'user.role_changed', before: full.entries.at(-1)!.id });
			expect(rest.entries).toHaveLength(10);
			// The page, then the people: whether it shows 10 entries or 50.
			expect(full.queries).toBe(2);
			expect(rest.queries).toBe(2);
			// The organisation's own entries, of every kind: the page and at most one query per
			// kind of record (practices need none).
			const mixed = await counted({ before: rest.entries.at(-1)!.id });
			expect(mixed.entries).toHaveLength(AUDIT_PAGE_SIZE);
			expect(new Set(mixed.entries.map((e) => e.targetType)).size).toBeGreaterThan(3);
			expect(mixed.queries).toBeLessThanOrEqual(1 + 7);
		}
	);
});
