import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import type { AdoptionState } from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import type { Model } from '$lib/server/model/types';
import {
	buildOrganisation,
	type CycleName,
	type Organisation,
	type TeamSlug
} from '$lib/server/testing/organisation';
import { getCatalogue, type Catalogue } from './catalogue';
import { setToolRetired } from './manage';
import { adoptionOverview, teamsWithoutTools, toolsUsedForPractices } from './report';

const inUse = (state: AdoptionState) => state === 'adopted' || state === 'enforced';

describe('the tools page and the team page tool hints', () => {
	let handle: DatabaseHandle;
	let org: Organisation;
	let model: Model;
	let catalogue: Catalogue;
	/** Practice scores stored by this test: only the latest cycle's, above 0 and applicable, count. */
	const scores: {
		cycle: CycleName;
		team: TeamSlug;
		practiceId: string;
		score: number;
		notApplicable?: boolean;
	}[] = [
		{ cycle: '2026-Q2', team: 'alpha', practiceId: 'static-analysis', score: 2 },
		{ cycle: '2026-Q2', team: 'alpha', practiceId: 'threat-modeling', score: 1.5 },
		{ cycle: '2026-Q2', team: 'beta', practiceId: 'static-analysis', score: 0.5 },
		{ cycle: '2026-Q2', team: 'beta', practiceId: 'secret-detection', score: 1 },
		{ cycle: '2026-Q2', team: 'gamma', practiceId: 'secret-detection', score: 1 },
		{ cycle: '2026-Q2', team: 'gamma', practiceId: 'static-analysis', score: 1 },
		{ cycle: '2026-Q2', team: 'delta', practiceId: 'code-review', score: 1, notApplicable: true },
		// Served only by IAST/RASP, whose every tool this test retires: no category serves it.
		{ cycle: '2026-Q2', team: 'alpha', practiceId: 'runtime-analysis', score: 2 },
		{ cycle: '2026-Q2', team: 'delta', practiceId: 'dependency-scanning', score: 1 },
		{ cycle: '2026-Q2', team: 'delta', practiceId: 'runtime-analysis', score: 1 },
		{ cycle: '2026-Q1', team: 'delta', practiceId: 'threat-modeling', score: 2 },
		{ cycle: '2026-Q1', team: 'legacy', practiceId: 'secret-detection', score: 3 }
	];

	/** Categories whose every catalogue tool is retired here: they serve no practice any more. */
	const emptied = ['iast-rasp'];

	beforeAll(async () => {
		handle = await createTestDatabase();
		model = loadModel();
		catalogue = getCatalogue(new Set(model.practiceById.keys()));
		org = await buildOrganisation(handle.db, model);
		for (const t of catalogue.tools.filter((t) => emptied.includes(t.category)))
			await setToolRetired(handle.db, { actorId: org.adminId, ip: '127.0.0.1' }, t.id, true);
		for (const s of scores) {
			const assessment = org.assessments.find(
				(a) => a.cycleId === org.cycle(s.cycle) && a.teamId === org.team(s.team)
			)!;
			await handle.db
				.update(table.assessmentPractice)
				.set({ score: s.score, notApplicable: s.notApplicable ?? false })
				.where(
					and(
						eq(table.assessmentPractice.assessmentId, assessment.id),
						eq(table.assessmentPractice.practiceId, s.practiceId)
					)
				);
		}
	});
	afterAll(() => handle.close());

	const activeIds = () => new Set(org.teams.filter((t) => t.active).map((t) => t.id));
	const categoryOf = (toolId: string) => catalogue.tools.find((t) => t.id === toolId)!.category;
	/** Adoption records of active teams: archived teams' tools must not count. */
	const activeAdoptions = () => org.adoptions.filter((a) => activeIds().has(a.teamId));

	it('counts adoption per tool and category over active teams only', async () => {
		const teamCount = activeIds().size;
		const overview = await adoptionOverview(handle.db, 3);
		expect(overview.teamCount).toBe(teamCount);
		let distinct = 0;
		for (const category of catalogue.categories) {
			const used = activeAdoptions().filter(
				(a) => inUse(a.state) && categoryOf(a.toolId) === category.id
			);
			const teams = new Set(used.map((a) => a.teamId)).size;
			const tools = new Set(used.map((a) => a.toolId)).size;
			distinct += tools;
			expect(overview.categories.find((c) => c.id === category.id)).toMatchObject({
				teams,
				coverage: teams / teamCount,
				toolsInUse: tools,
				sprawl: tools > 3
			});
		}
		expect(overview.distinctInUse).toBe(distinct);
		for (const toolId of ['semgrep', 'codeql', 'gitleaks', 'snyk-code']) {
			const records = activeAdoptions().filter((a) => a.toolId === toolId);
			const count = (state: AdoptionState) => records.filter((a) => a.state === state).length;
			const listed = overview.categories
				.find((c) => c.id === categoryOf(toolId))!
				.tools.find((t) => t.id === toolId)!;
			expect(listed.counts).toEqual({
				not_used: teamCount - count('evaluating') - count('adopted') - count('enforced'),
				evaluating: count('evaluating'),
				adopted: count('adopted'),
				enforced: count('enforced')
			});
			expect(listed.inUseShare).toBe((count('adopted') + count('enforced')) / teamCount);
		}
		// What the archived team would have changed.
		expect(overview.categories.find((c) => c.id === 'sast')).toMatchObject({
			teams: 3,
			toolsInUse: 2
		});
	});

	it('lists per active team the practices it scored this cycle with no tool for them', async () => {
		const latest = [...org.cycles].sort((a, b) => b.startsOn.localeCompare(a.startsOn))[0]!;
		/** Categories that serve a practice: those the catalogue still offers a tool of. */
		const serving = (practiceId: string) =>
			catalogue.categories
				.filter((c) => c.practices.includes(practiceId) && !emptied.includes(c.id))
				.map((c) => c.id);
		const expected = new Map<string, string[]>();
		for (const s of scores) {
			if (s.cycle !== latest.name || s.score <= 0 || s.notApplicable) continue;
			if (!activeIds().has(org.team(s.team))) continue;
			const categories = serving(s.practiceId);
			const covered = activeAdoptions().some(
				(a) =>
					a.teamId === org.team(s.team) &&
					inUse(a.state) &&
					categories.includes(categoryOf(a.toolId))
			);
			if (categories.length > 0 && !covered)
				expected.set(s.team, [...(expected.get(s.team) ?? []), s.practiceId]);
		}
		const practiceOrder = model.practices.map((p) => p.id);
		const wanted = [...expected.entries()]
			.map(([team, practices]) => ({
				team,
				practices: practices.sort((a, b) => practiceOrder.indexOf(a) - practiceOrder.indexOf(b))
			}))
			.sort((a, b) => a.team.localeCompare(b.team));
		// What the rows above make of it: archived teams, the older cycle, scores of 0, not
		// applicable and runtime analysis (served by no category with a tool) all left out.
		expect(wanted).toEqual([
			{ team: 'alpha', practices: ['threat-modeling'] },
			{ team: 'beta', practices: ['secret-detection'] },
			{ team: 'delta', practices: ['dependency-scanning'] },
			{ team: 'gamma', practices: ['secret-detection'] }
		]);
		const result = await teamsWithoutTools(handle.db, model);
		expect(result.cycle).toBe(latest.name);
		expect(
			result.teams.map((t) => ({ team: t.team.slug, practices: t.practices.map((p) => p.id) }))
		).toEqual(wanted);
		expect(result.teams[0]!.practices[0]!.name).toBe(
			model.practiceById.get('threat-modeling')!.name
		);
	});

	it('tells a team how many other active teams use each tool for a practice', async () => {
		for (const slug of ['alpha', 'gamma'] as const) {
			const me = org.team(slug);
			for (const practiceId of ['static-analysis', 'secret-detection']) {
				const teamsUsing = (toolId: string) =>
					new Set(
						activeAdoptions()
							.filter((a) => a.toolId === toolId && a.teamId !== me && inUse(a.state))
							.map((a) => a.teamId)
					).size;
				const expected = catalogue.tools
					.filter((t) =>
						catalogue.categories.find((c) => c.id === t.category)!.practices.includes(practiceId)
					)
					.map((t) => ({ name: t.name, teams: teamsUsing(t.id) }))
					.filter((t) => t.teams > 0)
					.sort((a, b) => b.teams - a.teams || a.name.localeCompare(b.name))
					.slice(0, 3);
				const hints = await toolsUsedForPractices(handle.db, [practiceId], me);
				expect(hints.get(practiceId), `${slug} ${practiceId}`).toEqual(expected);
			}
		}
	});
});
