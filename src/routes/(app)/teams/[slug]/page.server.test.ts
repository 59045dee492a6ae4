import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { loadModel } from '$lib/server/model/load-model';
import {
	buildOrganisation,
	type CycleName,
	type Organisation,
	type TeamSlug
} from '$lib/server/testing/organisation';
import { load } from './+page.server';
import type { PageServerData } from './$types';

const model = loadModel();
const PRACTICE = 'static-analysis';
const PHASE = model.practiceById.get(PRACTICE)!.phase;

/** Stored scores chosen so that no team's or cycle's figure equals another's. */
const stored: {
	team: TeamSlug;
	cycle: CycleName;
	teamScore: number;
	phaseScore: number;
	practiceScore: number;
}[] = [
	{ team: 'alpha', cycle: '2026-Q1', teamScore: 1.25, phaseScore: 1.5, practiceScore: 1 },
	{ team: 'alpha', cycle: '2026-Q2', teamScore: 2.5, phaseScore: 2.25, practiceScore: 3 },
	{ team: 'beta', cycle: '2026-Q1', teamScore: 3.75, phaseScore: 3.5, practiceScore: 4 },
	{ team: 'beta', cycle: '2026-Q2', teamScore: 0.5, phaseScore: 0.75, practiceScore: 0.25 },
	{ team: 'legacy', cycle: '2026-Q1', teamScore: 2, phaseScore: 2, practiceScore: 2 }
];

describe("a team page's figures", () => {
	let handle: DatabaseHandle;
	let org: Organisation;
	beforeAll(async () => {
		handle = await createTestDatabase();
		const db = handle.db;
		org = await buildOrganisation(db, model);
		for (const s of stored) {
			const a = org.assessments.find(
				(x) => x.teamId === org.team(s.team) && x.cycleId === org.cycle(s.cycle)
			)!;
			await db
				.update(table.assessment)
				.set({ score: s.teamScore })
				.where(eq(table.assessment.id, a.id));
			await db
				.update(table.assessmentPhase)
				.set({ score: s.phaseScore })
				.where(
					and(eq(table.assessmentPhase.assessmentId, a.id), eq(table.assessmentPhase.phase, PHASE))
				);
			await db
				.update(table.assessmentPractice)
				.set({ score: s.practiceScore })
				.where(
					and(
						eq(table.assessmentPractice.assessmentId, a.id),
						eq(table.assessmentPractice.practiceId, PRACTICE)
					)
				);
		}
	});
	afterAll(() => handle.close());

	const open = async (slug: TeamSlug) => {
		const ann = org.users.find((u) => u.name === 'Ann')!;
		const user: SessionUser = { id: ann.id, email: ann.email, name: ann.name, role: 'security' };
		const event = { locals: { db: handle.db, user }, params: { slug } };
		return (await load(event as never)) as PageServerData;
	};

	it("shows the team's own members, assessments and scores, this cycle against the last", async () => {
		for (const slug of ['alpha', 'beta'] as const) {
			const teamId = org.team(slug);
			const page = await open(slug);
			const members = org.members.filter((m) => m.teamId === teamId);
			expect(page.members.map((m) => m.userId).sort(), slug).toEqual(
				members.map((m) => m.userId).sort()
			);
			const cycles = [...org.cycles].sort((a, b) => b.startsOn.localeCompare(a.startsOn));
			const mine = cycles.flatMap((c) => {
				const a = org.assessments.find((x) => x.teamId === teamId && x.cycleId === c.id);
				const s = stored.find((x) => x.team === slug && x.cycle === c.name);
				return a ? [{ cycle: c.name, status: a.status, score: s?.teamScore ?? null }] : [];
			});
			expect(
				page.assessments.map(({ cycle, status, score }) => ({ cycle, status, score })),
				slug
			).toEqual(mine);
			const [now, before] = mine.map((m) =>
				stored.find((s) => s.team === slug && s.cycle === m.cycle)!
			);
			expect(page.picture!.current.score).toBe(now!.teamScore);
			expect(page.picture!.previous!.score).toBe(before!.teamScore);
			expect(page.picture!.phases.find((p) => p.id === PHASE)).toMatchObject({
				score: now!.phaseScore,
				previous: before!.phaseScore
			});
			expect(page.picture!.practices.find((p) => p.id === PRACTICE)).toMatchObject({
				score: now!.practiceScore,
				delta: now!.practiceScore - before!.practiceScore
			});
		}
	});

	it("shows the team's active champions, who is on duty from its rota, and tool hints for its next steps", async () => {
		const page = await open('alpha');
		const teamId = org.team('alpha');
		const champions = org.members
			.filter((m) => m.teamId === teamId && m.champion)
			.filter((m) => org.users.find((u) => u.id === m.userId)!.active);
		expect(page.champions.map((c) => c.userId)).toEqual(champions.map((c) => c.userId));
		const rota = org.rotas.find((r) => r.teamId === teamId)!.userIds;
		const names = rota.map((id) => org.users.find((u) => u.id === id)!.name);
		expect(names).toContain(page.onDuty!.now);
		expect(names).toContain(page.onDuty!.next);
		expect(page.onDuty!.now).not.toBe(page.onDuty!.next);
		expect(Object.keys(page.toolHints).sort()).toEqual(
			page.picture!.nextSteps.map((s) => s.id).sort()
		);
		// Beta has no rota: nobody is on duty there.
		expect((await open('beta')).onDuty).toBeNull();
	});
});
