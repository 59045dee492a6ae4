import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { createOrgUnit, deleteOrgUnit, listOrgUnits } from './org-units';
import { createTeam, listVisibleTeams, updateTeam } from './teams';
import { addTeamMember, removeTeamMember, updateTeamMember } from './members';
import type { Organisation } from '$lib/server/testing/organisation';
import { testOrganisation } from '$lib/server/testing/test-organisation';

describe('org units, teams and members', () => {
	let handle: DatabaseHandle;
	let adminId: string;
	let memberId: string;
	const ctx = () => ({ actorId: adminId, ip: '127.0.0.1' });
	beforeAll(async () => {
		handle = await createTestDatabase();
		const users = await handle.db
			.insert(table.user)
			.values([
				{ email: 'admin@example.com', name: 'Admin', passwordHash: 'x', role: 'admin' },
				{ email: 'm@example.com', name: 'Member', passwordHash: 'x' },
				{ email: 'lead@example.com', name: 'Lead', passwordHash: 'x' }
			])
			.returning();
		adminId = users[0]!.id;
		memberId = users[1]!.id;
	});
	afterAll(() => handle.close());

	it('builds a two-level hierarchy and refuses a business unit without a department', async () => {
		const dept = await createOrgUnit(handle.db, ctx(), {
			name: 'Engineering',
			kind: 'department',
			parentId: null
		});
		if (!dept.ok) throw new Error('refused');
		const bu = await createOrgUnit(handle.db, ctx(), {
			name: 'Payments',
			kind: 'business_unit',
			parentId: dept.id
		});
		expect(bu.ok).toBe(true);
		if (!bu.ok) return;
		const nested = await createOrgUnit(handle.db, ctx(), {
			name: 'Too deep',
			kind: 'business_unit',
			parentId: bu.id
		});
		expect(nested).toMatchObject({ ok: false, field: 'parentId' });
		const dup = await createOrgUnit(handle.db, ctx(), {
			name: 'Engineering',
			kind: 'department',
			parentId: null
		});
		expect(dup).toMatchObject({ ok: false, field: 'name' });
		expect((await listOrgUnits(handle.db)).map((u) => u.name)).toEqual(['Engineering', 'Payments']);
		expect(await deleteOrgUnit(handle.db, ctx(), dept.id)).toMatchObject({ ok: false });
	});

	it('keeps slugs unique', async () => {
		const a = await createTeam(handle.db, ctx(), {
			name: 'A',
			slug: 'team-a',
			orgUnitId: null,
			description: ''
		});
		const b = await createTeam(handle.db, ctx(), {
			name: 'B',
			slug: 'team-a',
			orgUnitId: null,
			description: ''
		});
		expect(a.ok).toBe(true);
		expect(b).toMatchObject({ ok: false, field: 'slug' });
		const c = await createTeam(handle.db, ctx(), {
			name: 'C',
			slug: 'team-c',
			orgUnitId: null,
			description: ''
		});
		if (!c.ok) throw new Error('refused');
		expect(
			await updateTeam(handle.db, ctx(), c.id, {
				name: 'C',
				slug: 'team-a',
				orgUnitId: null,
				description: ''
			})
		).toMatchObject({ ok: false, field: 'slug' });
	});

	it('shows a member only their own teams; security sees all', async () => {
		const [teamA] = await handle.db.select().from(table.team).where(eq(table.team.slug, 'team-a'));
		const added = await addTeamMember(handle.db, ctx(), teamA!.id, {
			email: 'm@example.com',
			role: 'member',
			champion: true
		});
		expect(added.ok).toBe(true);
		const mine = await listVisibleTeams(handle.db, { id: memberId, role: 'member' });
		expect(mine.map((t) => t.slug)).toEqual(['team-a']);
		const all = await listVisibleTeams(handle.db, { id: 'x', role: 'security' });
		expect(all.map((t) => t.slug).sort()).toEqual(['team-a', 'team-c']);
	});

	it('refuses unknown users and duplicates, keeps the last lead, and audits every change', async () => {
		const [teamA] = await handle.db.select().from(table.team).where(eq(table.team.slug, 'team-a'));
		expect(
			await addTeamMember(handle.db, ctx(), teamA!.id, {
				email: 'ghost@example.com',
				role: 'member',
				champion: false
			})
		).toMatchObject({ ok: false, field: 'email' });
		expect(
			await addTeamMember(handle.db, ctx(), teamA!.id, {
				email: 'm@example.com',
				role: 'lead',
				champion: false
			})
		).toMatchObject({ ok: false });
		await addTeamMember(handle.db, ctx(), teamA!.id, {
			email: 'lead@example.com',
			role: 'lead',
			champion: false
		});
		const [lead] = await handle.db
			.select()
			.from(table.user)
			.where(eq(table.user.email, 'lead@example.com'));
		expect(
			await updateTeamMember(handle.db, ctx(), teamA!.id, {
				userId: lead!.id,
				role: 'member',
				champion: false
			})
		).toMatchObject({ ok: false, field: 'role' });
		expect(await removeTeamMember(handle.db, ctx(), teamA!.id, lead!.id)).toMatchObject({
			ok: false
		});
		expect((await removeTeamMember(handle.db, ctx(), teamA!.id, memberId)).ok).toBe(true);
		const actions = (await handle.db.select().from(table.auditLog)).map((r) => r.action);
		expect(actions).toEqual(
			expect.arrayContaining([
				'org_unit.created',
				'team.created',
				'team.member_added',
				'team.member_removed'
			])
		);
	});
});

describe('the team lists people see', () => {
	const t = testOrganisation();

	const expectedRow = (team: Organisation['teams'][number]) => {
		const unit = t.org.units.find((u) => u.id === team.orgUnitId);
		return {
			slug: team.slug,
			active: team.active,
			orgUnit: unit?.name ?? null,
			department: t.org.units.find((u) => u.id === unit?.parentId)?.name ?? null,
			// Every membership counts, a deactivated person's too: the team page lists them.
			members: t.org.members.filter((m) => m.teamId === team.id).length
		};
	};
	const shown = (rows: Awaited<ReturnType<typeof listVisibleTeams>>) =>
		rows.map(({ slug, active, orgUnit, department, members }) => ({
			slug,
			active,
			orgUnit,
			department,
			members
		}));
	const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

	it("shows the security team every team with its own members' count", async () => {
		const expected = [...t.org.teams].sort(byName).map(expectedRow);
		expect(new Set(expected.map((t) => t.members)).size).toBeGreaterThan(1);
		expect(shown(await listVisibleTeams(t.db, { id: t.org.adminId, role: 'security' }))).toEqual(
			expected
		);
	});

	it('shows a member their own teams with the full count of each', async () => {
		const bo = t.org.user('Bo');
		const mine = new Set(t.org.members.filter((m) => m.userId === bo).map((m) => m.teamId));
		const expected = t.org.teams
			.filter((t) => mine.has(t.id))
			.sort(byName)
			.map(expectedRow);
		expect(expected.map((t) => t.slug)).toEqual(['alpha', 'gamma']);
		expect(shown(await listVisibleTeams(t.db, { id: bo, role: 'member' }))).toEqual(expected);
	});
});
