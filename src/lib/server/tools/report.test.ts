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
		{ cycle: '2026-Q1', team: 'delta', practiceId: 'threat-modeling', score: 2 },
		{ cycle: '2026-Q1', team: 'legacy', practiceId: 'secret-detection', score: 3 }
	];

	beforeAll(async () => {
		handle = await createTestDatabase();
		model = loadModel();
		catalogue = getCatalogue(new Set(model.practiceById.keys()));
		org = await buildOrganisation(handle.db, model);
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

	it('names the active teams that scored a practice this cycle with no tool for it', async () => {
		const latest = [...org.cycles].sort((a, b) => b.startsOn.localeCompare(a.startsOn))[0]!;
		const expected = scores
			.filter((s) => s.cycle === latest.name && s.score > 0 && !s.notApplicable)
			.filter((s) => activeIds().has(org.team(s.team)))
			.filter((s) => {
				const categories = catalogue.categories
					.filter((c) => c.practices.includes(s.practiceId))
					.map((c) => c.id);
				const covered = activeAdoptions().some(
					(a) =>
						a.teamId === org.team(s.team) &&
						inUse(a.state) &&
						categories.includes(categoryOf(a.toolId))
				);
				return categories.length > 0 && !covered;
			})
			.map((s) => `${s.team} ${s.practiceId}`)
			.sort();
		expect(expected).toEqual([
			'alpha threat-modeling',
			'beta secret-detection',
			'gamma secret-detection'
		]);
		const result = await teamsWithoutTools(handle.db, model);
		expect(result.cycle).toBe(latest.name);
		expect(result.gaps.map((g) => `${g.team.slug} ${g.practice.id}`).sort()).toEqual(expected);
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
