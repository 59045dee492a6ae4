import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { render } from 'svelte/server';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import type { DashboardView } from '$lib/server/dashboard/view';
import { evidenceCycle, evidenceShare } from '$lib/server/evidence/share';
import { recordUpload } from '$lib/server/findings/record';
import { ranWithoutFindings } from '$lib/server/findings/testing/runs';
import { loadModel } from '$lib/server/model/load-model';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { CycleName, TeamSlug } from '$lib/server/testing/organisation';
import { load } from './+page.server';
import EvidenceShare from './EvidenceShare.svelte';

/*
 * The dashboard's share of scannable claims the pipelines back, per org unit, against a count
 * made here another way. Claims that must not count: another cycle's, an archived team's, a
 * not-applicable practice's, "some" answers and criteria without a rule.
 */
describe("the dashboard's claims backed by the pipelines", () => {
	const t = testOrganisation();
	const model = loadModel();

	it('picks the newest open cycle, else the newest', () => {
		const c = (name: string, status: 'open' | 'closed') => ({ name, status });
		expect(evidenceCycle([c('Q3', 'closed'), c('Q2', 'open'), c('Q1', 'open')])?.name).toBe('Q2');
		expect(evidenceCycle([c('Q3', 'closed'), c('Q2', 'closed')])?.name).toBe('Q3');
		expect(evidenceCycle([])).toBeNull();
	});

	it('sums tallies per group, leaving out teams without claims', () => {
		const share = evidenceShare(
			[
				{ teamId: 'a', group: 'Payments' },
				{ teamId: 'b', group: 'Payments' },
				{ teamId: 'c', group: 'Platform' },
				{ teamId: 'd', group: 'Sales' }
			],
			new Map([
				['a', { claims: 3, backed: 1, contradicted: 2 }],
				['b', { claims: 1, backed: 0, contradicted: 0 }],
				['c', { claims: 2, backed: 2, contradicted: 0 }],
				['x', { claims: 9, backed: 9, contradicted: 0 }]
			])
		);
		expect(share.groups.map((g) => [g.group, g.claims, g.backed, g.unchecked, g.share])).toEqual([
			['Payments', 4, 1, 1, 25],
			['Platform', 2, 2, 0, 100]
		]);
		expect(share.total).toMatchObject({ claims: 6, backed: 3, contradicted: 2, share: 50 });
	});

	it('shows per unit the share of claims in the open cycle that scans back', async () => {
		const assessment = (slug: TeamSlug, cycle: CycleName) =>
			t.org.assessments.find(
				(a) => a.teamId === t.org.team(slug) && a.cycleId === t.org.cycle(cycle)
			)!.id;
		const answers: [TeamSlug, CycleName, string, number][] = [
			['alpha', '2026-Q2', 'static-analysis.2.a', 1],
			['alpha', '2026-Q2', 'secret-detection.2.a', 0.5],
			['alpha', '2026-Q2', 'dependency-scanning.2.a', 0.5],
			['alpha', '2026-Q2', 'dynamic-analysis.2.a', 0.25], // "some": no claim
			['alpha', '2026-Q2', 'threat-modeling.1.a', 1], // no rule
			['alpha', '2026-Q1', 'dependency-scanning.2.a', 1], // another cycle
			['beta', '2026-Q2', 'static-analysis.2.a', 1],
			['beta', '2026-Q2', 'infrastructure-as-code.2.b', 1], // not applicable below
			['gamma', '2026-Q2', 'secret-detection.2.a', 1],
			['delta', '2026-Q2', 'static-analysis.3.a', 0.5],
			['legacy', '2026-Q1', 'static-analysis.2.a', 1] // archived team
		];
		await t.db.insert(table.answer).values(
			answers.map(([slug, cycle, criterionId, value]) => ({
				assessmentId: assessment(slug, cycle),
				criterionId,
				value
			}))
		);
		await t.db
			.update(table.assessmentPractice)
			.set({ notApplicable: true, notApplicableReason: 'Serverless only' })
			.where(
				and(
					eq(table.assessmentPractice.assessmentId, assessment('beta', '2026-Q2')),
					eq(table.assessmentPractice.practiceId, 'infrastructure-as-code')
				)
			);
		const scans: [TeamSlug, string, string, string][] = [
			['alpha', 'payments/api', 'main', 'CodeQL'],
			['alpha', 'payments/web', 'main', 'Gitleaks'],
			['alpha', 'payments/api', 'refs/pull/4/merge', 'Grype'],
			['beta', 'billing/api', 'main', 'Grype'],
			['delta', 'tools/cli', 'refs/pull/1/merge', 'CodeQL'],
			['legacy', 'old/app', 'main', 'CodeQL']
		];
		for (const [slug, repository, ref, tool] of scans)
			await recordUpload(t.db, {
				teamId: t.org.team(slug),
				tokenId: null,
				repository,
				ref,
				commit: null,
				category: null,
				report: ranWithoutFindings(tool)
			});

		// Another way: each claim of an active team in 2026-Q2, judged by hand from the scans above.
		const categoryOf: Record<string, string> = {
			CodeQL: 'sast',
			Gitleaks: 'secret-detection',
			Grype: 'container-scanning'
		};
		const active = new Set(t.org.teams.filter((x) => x.active).map((x) => x.slug));
		const unitOf = (slug: TeamSlug) => {
			const id = t.org.teams.find((x) => x.slug === slug)!.orgUnitId;
			const unit = t.org.units.find((u) => u.id === id);
			// The organisation's dashboard rolls up to departments.
			const dept = unit?.parentId ? t.org.units.find((u) => u.id === unit.parentId) : unit;
			return dept?.name ?? 'No org unit';
		};
		const expected = new Map<string, { claims: number; backed: number; contradicted: number }>();
		for (const [slug, cycle, criterionId, value] of answers) {
			const rule = model.criterionById.get(criterionId)!.evidence;
			if (cycle !== '2026-Q2' || !active.has(slug) || !rule || value < 0.5) continue;
			if (slug === 'beta' && criterionId.startsWith('infrastructure-as-code.')) continue;
			const mine = scans.filter(([s]) => s === slug);
			const repositories = new Set(mine.map(([, r]) => r));
			const covered = new Set(
				mine
					.filter(([, , , tool]) => rule.categories.includes(categoryOf[tool]!))
					.filter(([, , ref]) => rule.branch !== 'pull-requests' || ref !== 'main')
					.filter(([, , ref]) => rule.branch !== 'default' || ref === 'main')
					.map(([, r]) => r)
			);
			const x = expected.get(unitOf(slug)) ?? { claims: 0, backed: 0, contradicted: 0 };
			x.claims++;
			if (repositories.size) {
				const ok =
					value === 1
						? covered.size === repositories.size
						: covered.size * 2 >= repositories.size && covered.size > 0;
				if (ok) x.backed++;
				else x.contradicted++;
			}
			expected.set(unitOf(slug), x);
		}

		const u = t.org.users.find((x) => x.name === 'Eve')!;
		const eve: SessionUser = { id: u.id, email: u.email, name: u.name, role: 'leadership' };
		const data = (await load({
			locals: { db: t.db, user: eve },
			url: new URL('http://127.0.0.1/dashboard?cycle=2026-Q1'),
			setHeaders: () => {}
		} as never)) as { view: DashboardView };
		const evidence = data.view.evidence!;
		// Whatever cycle is selected, claims are checked in the open one.
		expect(evidence.cycle).toBe('2026-Q2');
		expect(evidence.rollUp).toBe('department');
		expect(
			Object.fromEntries(
				evidence.groups.map((g) => [
					g.group,
					{ claims: g.claims, backed: g.backed, contradicted: g.contradicted }
				])
			)
		).toEqual(Object.fromEntries(expected));
		const total = [...expected.values()].reduce(
			(s, x) => ({ claims: s.claims + x.claims, backed: s.backed + x.backed }),
			{ claims: 0, backed: 0 }
		);
		expect(evidence.total).toMatchObject({
			claims: total.claims,
			backed: total.backed,
			share: Math.round((total.backed / total.claims) * 100)
		});
		// The figures this data gives, so a change to the counting shows here too.
		expect(evidence.total).toMatchObject({ claims: 6, backed: 3, contradicted: 2, unchecked: 1 });

		const text = render(EvidenceShare, { props: { evidence } })
			.body.replace(/<!--[^>]*-->/g, '')
			.replace(/<[^>]+>/g, ' ')
			.replace(/\s+/g, ' ');
		expect(text).toContain(
			"50 % of the 6 scannable claims in 2026-Q2 are backed by the teams' scans; 2 are contradicted and 1 come from teams whose pipelines upload no scans."
		);
		expect(text).toContain('Engineering 5 2 2 1 40 %');

		// A member sees the organisation's share, no unit's.
		const ann = t.org.users.find((x) => x.name === 'Ann')!;
		const member = (await load({
			locals: { db: t.db, user: { id: ann.id, email: ann.email, name: ann.name, role: 'member' } },
			url: new URL('http://127.0.0.1/dashboard'),
			setHeaders: () => {}
		} as never)) as { view: DashboardView };
		expect(member.view.evidence).toMatchObject({ total: { claims: 6, backed: 3 }, groups: [] });
	});
});
