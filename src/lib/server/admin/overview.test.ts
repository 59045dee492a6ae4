import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openCycle } from '$lib/server/assessments/cycles';
import * as table from '$lib/server/db/schema';
import { createTestDatabase } from '$lib/server/db/test-db';
import { loadModel } from '$lib/server/model/load-model';
import { createOrgUnit } from '$lib/server/teams/org-units';
import { createTeam, setTeamActive } from '$lib/server/teams/teams';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { createInvitation, revokeInvitation } from '$lib/server/users/invitations';
import { adminOverview, gettingStarted } from './overview';

const DAY = 24 * 60 * 60 * 1000;

describe('the admin start page', () => {
	const t = testOrganisation();

	it('counts active users, active teams, every org unit, usable invitations and cycles', async () => {
		const ctx = { actorId: t.org.adminId, ip: '127.0.0.1' };
		const now = new Date();
		// Invitations that must not count: revoked, expired, accepted.
		const pending = await createInvitation(t.db, ctx, { email: 'new@example.com', role: 'member' });
		const revoked = await createInvitation(t.db, ctx, { email: 'rev@example.com', role: 'member' });
		await createInvitation(
			t.db,
			ctx,
			{ email: 'old@example.com', role: 'member' },
			new Date(now.getTime() - 8 * DAY)
		);
		const accepted = await createInvitation(t.db, ctx, {
			email: 'acc@example.com',
			role: 'member'
		});
		if (!pending.ok || !revoked.ok || !accepted.ok) throw new Error('invitation refused');
		const [rev] = await t.db
			.select({ id: table.invitation.id })
			.from(table.invitation)
			.where(eq(table.invitation.email, 'rev@example.com'));
		await revokeInvitation(t.db, ctx, rev!.id);
		await t.db
			.update(table.invitation)
			.set({ acceptedAt: now })
			.where(eq(table.invitation.email, 'acc@example.com'));

		const expected = {
			users: t.org.users.filter((u) => u.active).length,
			teams: t.org.teams.filter((t) => t.active).length,
			orgUnits: t.org.units.length,
			pendingInvitations: 1,
			cycles: t.org.cycles.length
		};
		// Rows that must not be counted exist.
		expect(expected.users).toBeLessThan(t.org.users.length);
		expect(expected.teams).toBeLessThan(t.org.teams.length);
		expect(await t.db.$count(table.invitation)).toBe(4);
		expect(await adminOverview(t.db, now)).toEqual(expected);
	});
});

describe('the getting-started checklist', () => {
	it('ticks each step off as its data appears, right after /setup and on', async () => {
		const handle = await createTestDatabase();
		const { db } = handle;
		try {
			const ticks = async () =>
				Object.fromEntries(gettingStarted(await adminOverview(db)).map((s) => [s.step, s.done]));
			const [admin] = await db
				.insert(table.user)
				.values({ email: 'first@example.com', name: 'First', passwordHash: 'x', role: 'admin' })
				.returning({ id: table.user.id });
			const ctx = { actorId: admin!.id, ip: '127.0.0.1' };
			// Right after /setup: only the first admin exists.
			expect(await ticks()).toEqual({ orgUnits: false, teams: false, people: false, cycle: false });

			const unit = await createOrgUnit(db, ctx, {
				name: 'Eng',
				kind: 'department',
				parentId: null
			});
			if (!unit.ok) throw new Error('unit refused');
			expect(await ticks()).toMatchObject({ orgUnits: true, teams: false });

			// An archived team is no team to start with.
			const team = await createTeam(db, ctx, {
				name: 'Alpha',
				slug: 'alpha',
				orgUnitId: unit.id,
				description: ''
			});
			if (!team.ok) throw new Error('team refused');
			await setTeamActive(db, ctx, team.id, false);
			expect(await ticks()).toMatchObject({ teams: false });
			await setTeamActive(db, ctx, team.id, true);
			expect(await ticks()).toMatchObject({ teams: true, people: false });

			// A revoked invitation invites nobody; a pending one does.
			await createInvitation(db, ctx, { email: 'x@example.com', role: 'member' });
			const [inv] = await db.select({ id: table.invitation.id }).from(table.invitation);
			await revokeInvitation(db, ctx, inv!.id);
			expect(await ticks()).toMatchObject({ people: false });
			await createInvitation(db, ctx, { email: 'y@example.com', role: 'member' });
			expect(await ticks()).toMatchObject({ people: true, cycle: false });

			const cycle = await openCycle(db, ctx, loadModel(), {
				name: '2026-Q4',
				startsOn: '2026-10-01',
				dueOn: '2026-12-31'
			});
			if (!cycle.ok) throw new Error('cycle refused');
			expect(await ticks()).toEqual({ orgUnits: true, teams: true, people: true, cycle: true });
		} finally {
			await handle.close();
		}
	});

	it('counts people besides the first admin even when no invitation is pending', () => {
		const counts = { users: 2, teams: 0, orgUnits: 0, pendingInvitations: 0, cycles: 0 };
		expect(gettingStarted(counts).find((s) => s.step === 'people')!.done).toBe(true);
		expect(gettingStarted({ ...counts, users: 1 }).find((s) => s.step === 'people')!.done).toBe(
			false
		);
	});
});
