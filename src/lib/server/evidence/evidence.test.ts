import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { recordUpload } from '$lib/server/findings/record';
import { ranWithoutFindings } from '$lib/server/findings/testing/runs';
import { loadModel } from '$lib/server/model/load-model';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { assessmentContradictions, claimTallies } from './claims';
import { DAY_MS, pipelineFacts } from './facts';
import { currentTeamRuns, teamRuns } from './runs';
import { toolEvidence } from '$lib/server/integrations/read-api';

/*
 * The facts read from the real database, scans recorded as pipelines record them: which
 * repositories each rule's tools ran on, and which answers they contradict.
 */

const now = new Date('2026-05-20T12:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
const model = loadModel();

const log = (...tools: string[]) => ranWithoutFindings(...tools);

describe('pipeline evidence from recorded scans', () => {
	const t = testOrganisation();
	const alpha = () => t.org.team('alpha');
	const upload = (
		team: string,
		repository: string,
		ref: string | null,
		days: number,
		...tools: string[]
	) =>
		recordUpload(
			t.db,
			{
				teamId: team,
				tokenId: null,
				repository,
				ref,
				commit: null,
				category: null,
				report: log(...tools)
			},
			ago(days)
		);
	const assessment = (slug: 'alpha' | 'beta' | 'gamma', cycle: '2026-Q1' | '2026-Q2') =>
		t.org.assessments.find(
			(a) => a.teamId === t.org.team(slug) && a.cycleId === t.org.cycle(cycle)
		)!.id;
	const answer = (assessmentId: string, criterionId: string, value: number) =>
		t.db
			.insert(table.answer)
			.values({ assessmentId, criterionId, value })
			.onConflictDoUpdate({
				target: [table.answer.assessmentId, table.answer.criterionId],
				set: { value }
			});

	it('reads no runs for a team whose pipelines never uploaded', async () => {
		expect(await teamRuns(t.db, alpha())).toBeNull();
	});

	it('reads each catalogue tool’s newest scan per repository and kind of ref', async () => {
		// The catalogue claims "Semgrep OSS"; Grype and Gitleaks match catalogue names; "In-house" nothing.
		await upload(alpha(), 'payments/api', 'refs/heads/main', 9, 'Grype');
		await upload(alpha(), 'payments/api', 'main', 2, 'Grype');
		await upload(alpha(), 'payments/api', 'refs/pull/7/merge', 3, 'Semgrep OSS', 'Grype');
		await upload(alpha(), 'payments/web', null, 40, 'Grype');
		await upload(alpha(), 'payments/jobs', 'main', 1, 'Gitleaks');
		await upload(alpha(), 'payments/infra', 'main', 1, 'In-house');
		// Another team's scans are not Alpha's.
		await upload(t.org.team('beta'), 'payments/infra', 'main', 1, 'Semgrep OSS');

		const runs = await teamRuns(t.db, alpha());
		expect(runs!.repositories).toEqual([
			'payments/api',
			'payments/infra',
			'payments/jobs',
			'payments/web'
		]);
		const seen = runs!.runs
			.map((r) => [
				r.repository,
				r.toolId,
				r.categories.join(),
				r.onDefault && [r.onDefault.at.toISOString(), r.onDefault.ref],
				r.onOther && [r.onOther.at.toISOString(), r.onOther.ref]
			])
			.sort((a, b) => String(a).localeCompare(String(b)));
		expect(seen).toEqual([
			[
				'payments/api',
				'grype',
				'container-scanning',
				[ago(2).toISOString(), 'main'],
				[ago(3).toISOString(), 'refs/pull/7/merge']
			],
			['payments/api', 'semgrep', 'sast', null, [ago(3).toISOString(), 'refs/pull/7/merge']],
			['payments/jobs', 'gitleaks', 'secret-detection', [ago(1).toISOString(), 'main'], null],
			['payments/web', 'grype', 'container-scanning', [ago(40).toISOString(), 'main'], null]
		]);
	});

	it('turns them into the facts of each rule', async () => {
		const runs = await teamRuns(t.db, alpha());
		const facts = (criterionId: string) =>
			pipelineFacts(model.criterionById.get(criterionId)!.evidence!, runs, now);
		// SCA on pull requests, 30 days: Grype's pull-request scan of payments/api.
		expect(facts('dependency-scanning.2.a')).toMatchObject({
			tools: ['Grype'],
			covered: 1,
			repositories: 4,
			missing: ['payments/infra', 'payments/jobs', 'payments/web']
		});
		// Any ref in a year: payments/web's old scan counts too.
		expect(facts('dependency-scanning.1.b')).toMatchObject({ tools: ['Grype'], covered: 2 });
		expect(facts('secret-detection.2.a')).toMatchObject({ tools: ['Gitleaks'], covered: 1 });
		expect(facts('dynamic-analysis.2.a')).toMatchObject({ tools: [], covered: 0 });
	});

	it('lists the contradicted answers of an assessment, and not those of a not-applicable practice', async () => {
		const a = assessment('alpha', '2026-Q2');
		await answer(a, 'dependency-scanning.2.a', 1); // 1 of 4: contradicted
		await answer(a, 'dependency-scanning.1.b', 0.5); // 2 of 4: backed
		await answer(a, 'static-analysis.2.a', 0.5); // 1 of 4: contradicted
		await answer(a, 'dynamic-analysis.2.a', 0.25); // "some" claims nothing
		await answer(a, 'secret-detection.2.a', 1); // 1 of 4: contradicted, but not applicable
		await answer(a, 'threat-modeling.1.a', 1); // no rule
		await t.db
			.insert(table.assessmentPractice)
			.values({
				assessmentId: a,
				practiceId: 'secret-detection',
				phase: 'build',
				notApplicable: true,
				notApplicableReason: 'No repositories of our own'
			})
			.onConflictDoUpdate({
				target: [table.assessmentPractice.assessmentId, table.assessmentPractice.practiceId],
				set: { notApplicable: true, notApplicableReason: 'No repositories of our own' }
			});
		const found = await assessmentContradictions(
			t.db,
			model,
			{ assessmentId: a, teamId: alpha() },
			now
		);
		expect(
			found.map((c) => [c.criterionId, c.value, c.facts.covered, c.facts.repositories])
		).toEqual([
			['dependency-scanning.2.a', 1, 1, 4],
			['static-analysis.2.a', 0.5, 1, 4]
		]);
		// Beta's one repository had Semgrep yesterday: its "all" is backed.
		const b = assessment('beta', '2026-Q2');
		await answer(b, 'static-analysis.2.a', 1);
		expect(
			await assessmentContradictions(
				t.db,
				model,
				{ assessmentId: b, teamId: t.org.team('beta') },
				now
			)
		).toEqual([]);
		// Gamma never uploaded at all: nothing to check its claims against.
		const g = assessment('gamma', '2026-Q2');
		await answer(g, 'static-analysis.2.a', 1);
		expect(
			await assessmentContradictions(
				t.db,
				model,
				{ assessmentId: g, teamId: t.org.team('gamma') },
				now
			)
		).toEqual([]);
	});

	it('tallies claims per team in one cycle, counted here another way', async () => {
		// A claim in the other cycle that must not count.
		await answer(assessment('alpha', '2026-Q1'), 'static-analysis.3.a', 1);
		const teams = sql`select ${table.team.id} from ${table.team} where ${table.team.active}`;
		const tallies = await claimTallies(t.db, model, teams, t.org.cycle('2026-Q2'), now);

		// Another way: every answer of the cycle, by hand, against the rules and the facts above.
		const rows = await t.db
			.select({
				teamId: table.assessment.teamId,
				criterionId: table.answer.criterionId,
				value: table.answer.value,
				notApplicable: table.assessmentPractice.notApplicable
			})
			.from(table.answer)
			.innerJoin(table.assessment, eq(table.assessment.id, table.answer.assessmentId))
			.leftJoin(
				table.assessmentPractice,
				and(
					eq(table.assessmentPractice.assessmentId, table.answer.assessmentId),
					eq(
						table.assessmentPractice.practiceId,
						sql`split_part(${table.answer.criterionId}, '.', 1)`
					)
				)
			)
			.where(eq(table.assessment.cycleId, t.org.cycle('2026-Q2')));
		const expected = new Map<string, { claims: number; backed: number; contradicted: number }>();
		for (const r of rows) {
			const rule = model.criterionById.get(r.criterionId)?.evidence;
			if (!rule || (r.value !== 0.5 && r.value !== 1) || r.notApplicable) continue;
			const x = expected.get(r.teamId) ?? { claims: 0, backed: 0, contradicted: 0 };
			x.claims++;
			if (r.teamId === alpha()) {
				const covered = {
					'dependency-scanning.2.a': 1,
					'dependency-scanning.1.b': 2,
					'static-analysis.2.a': 1
				}[r.criterionId]!;
				if (r.value === 1 ? covered === 4 : covered >= 2) x.backed++;
				else x.contradicted++;
			}
			if (r.teamId === t.org.team('beta')) x.backed++; // Semgrep on its 1 repository
			expected.set(r.teamId, x);
		}
		expect(expected.size).toBe(3);
		expect(Object.fromEntries(tallies)).toEqual(Object.fromEntries(expected));
		expect(tallies.get(alpha())).toEqual({ claims: 3, backed: 1, contradicted: 2 });
		expect(tallies.get(t.org.team('gamma'))).toEqual({ claims: 1, backed: 0, contradicted: 0 });
	});

	it('gives the read API each tool’s check as the tools page makes it', async () => {
		const { tools } = await toolEvidence(t.db, alpha(), now);
		const checks = Object.fromEntries(tools.map((x) => [x.toolId, [x.state, x.check]]));
		// Semgrep (enforced) ran on a pull request 3 days ago; Grype runs but is not recorded.
		expect(checks).toEqual({
			gitleaks: ['adopted', null],
			semgrep: ['enforced', null],
			grype: [null, 'unrecorded']
		});
		const later = new Date(now.getTime() + 40 * DAY_MS);
		const stale = await toolEvidence(t.db, alpha(), later);
		expect(stale.tools.find((x) => x.toolId === 'semgrep')?.check).toBe('stale');
	});
});

describe('a team’s runs, kept per data revision', () => {
	const t = testOrganisation();
	const upload = (team: string, repository: string, days: number, tool: string) =>
		recordUpload(
			t.db,
			{
				teamId: team,
				tokenId: null,
				repository,
				ref: 'main',
				commit: null,
				category: null,
				report: log(tool)
			},
			ago(days)
		);

	it('are read again after each upload, and the reviewer’s list follows', async () => {
		const gamma = t.org.team('gamma');
		expect(await currentTeamRuns(t.db, gamma)).toBeNull();
		await upload(gamma, 'gamma/app', 1, 'Semgrep OSS');
		expect((await currentTeamRuns(t.db, gamma))?.repositories).toEqual(['gamma/app']);
		await upload(gamma, 'gamma/web', 1, 'Grype');
		const kept = await currentTeamRuns(t.db, gamma);
		expect(kept?.repositories).toEqual(['gamma/app', 'gamma/web']);
		expect(kept).toEqual(await teamRuns(t.db, gamma));
		// "All" on static analysis: Semgrep ran on 1 of the 2 repositories, then on both.
		const g = t.org.assessments.find(
			(a) => a.teamId === gamma && a.cycleId === t.org.cycle('2026-Q2')
		)!.id;
		await t.db
			.insert(table.answer)
			.values({ assessmentId: g, criterionId: 'static-analysis.2.a', value: 1 });
		const access = { assessmentId: g, teamId: gamma };
		expect(
			(await assessmentContradictions(t.db, model, access, now)).map((c) => c.criterionId)
		).toEqual(['static-analysis.2.a']);
		await upload(gamma, 'gamma/web', 0, 'Semgrep OSS');
		expect(await assessmentContradictions(t.db, model, access, now)).toEqual([]);
	});
});
