import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { requireAssessmentAccess } from './guard';
import type { SessionUser } from './session';

/** The status and message a guard threw, or 'allowed'. */
async function outcome(p: Promise<unknown>) {
	try {
		await p;
		return 'allowed';
	} catch (e) {
		if (isHttpError(e)) return `${e.status} ${e.body.message}`;
		throw e;
	}
}

describe('requireAssessmentAccess, from the attacker’s side too', () => {
	let handle: DatabaseHandle;
	const users: Record<string, SessionUser> = {};
	const event = (who: string) => ({
		locals: { db: handle.db, user: users[who]!, session: null, ip: '127.0.0.1' },
		url: new URL('http://127.0.0.1/teams')
	});

	beforeAll(async () => {
		handle = await createTestDatabase();
		const db = handle.db;
		for (const [key, role] of [
			['member', 'member'],
			['outsider', 'member'],
			['security', 'security']
		] as const) {
			const [u] = await db
				.insert(table.user)
				.values({ email: `${key}@example.com`, name: key, passwordHash: 'x', role })
				.returning();
			users[key] = { id: u!.id, email: u!.email, name: u!.name, role: u!.role };
		}
		const [one, two] = await db
			.insert(table.team)
			.values([
				{ name: 'One', slug: 'one' },
				{ name: 'Two', slug: 'two' }
			])
			.returning();
		await db.insert(table.teamMember).values([
			{ teamId: one!.id, userId: users.member!.id, role: 'member' },
			{ teamId: two!.id, userId: users.outsider!.id, role: 'lead' }
		]);
		const [cycle] = await db
			.insert(table.cycle)
			.values({ name: '2026-Q1', startsOn: '2026-01-01', dueOn: '2026-03-15' })
			.returning();
		await db
			.insert(table.assessment)
			.values({ cycleId: cycle!.id, teamId: one!.id, modelVersion: 'test' });
	});
	afterAll(() => handle.close());

	it('gives a member their team’s assessment with its cycle', async () => {
		const access = await requireAssessmentAccess(event('member'), 'one', '2026-Q1', 'edit');
		expect(access.team.slug).toBe('one');
		expect(access.cycle.name).toBe('2026-Q1');
		expect(access.assessment.cycleId).toBe(access.cycle.id);
		expect(access.membership).toEqual({ role: 'member', champion: false });
	});

	it('answers another team’s member 404 whether or not the assessment exists', async () => {
		expect(
			await outcome(requireAssessmentAccess(event('outsider'), 'one', '2026-Q1', 'view'))
		).toBe('404 Team not found');
		expect(
			await outcome(requireAssessmentAccess(event('outsider'), 'one', '2030-Q1', 'view'))
		).toBe('404 Team not found');
		expect(
			await outcome(requireAssessmentAccess(event('outsider'), 'nope', '2026-Q1', 'view'))
		).toBe('404 Team not found');
	});

	it('tells a member there is no assessment in an unknown cycle or for a team without one', async () => {
		expect(await outcome(requireAssessmentAccess(event('member'), 'one', '2030-Q1', 'view'))).toBe(
			'404 This team has no assessment in that cycle.'
		);
		expect(
			await outcome(requireAssessmentAccess(event('security'), 'two', '2026-Q1', 'view'))
		).toBe('404 This team has no assessment in that cycle.');
	});

	it('refuses an action the membership does not allow', async () => {
		expect(
			await outcome(requireAssessmentAccess(event('member'), 'one', '2026-Q1', 'submit'))
		).toBe('403 You may not change this team.');
		expect(
			await outcome(requireAssessmentAccess(event('security'), 'one', '2026-Q1', 'edit'))
		).toBe('403 You may not change this team.');
	});
});
