import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { assessmentContradictions } from '$lib/server/evidence/claims';
import { teamToolEvidence } from '$lib/server/evidence/tools';
import { getModel } from '$lib/server/model/load-model';
import { seedDemo } from './seed';
import { DEMO_TODAY, DEMO_WEEKS, demoAnalyses, demoClaim, demoScanDate } from './scan-plan';

// One seeded demo for the whole file: seeding is most of its time.
let handle: DatabaseHandle;
beforeAll(async () => {
	handle = await createTestDatabase();
	await seedDemo(handle.db, 'demo password for tests');
});
afterAll(() => handle.close());

describe('demo organisation', () => {
	it('has every role, 12 teams and three cycles of assessments', async () => {
		const roles = new Set((await handle.db.select().from(table.user)).map((u) => u.role));
		expect([...roles].sort()).toEqual(['admin', 'leadership', 'member', 'security']);
		expect(await handle.db.select().from(table.team)).toHaveLength(12);
		const cycles = await handle.db.select().from(table.cycle);
		expect(cycles.map((c) => `${c.name}:${c.status}`).sort()).toEqual([
			'2026-Q2:closed',
			'2026-Q3:closed',
			'2026-Q4:open'
		]);
		expect(await handle.db.select().from(table.assessment)).toHaveLength(36);
	});

	it('has varied scores that mostly rise, and every status in the current cycle', async () => {
		const rows = await handle.db
			.select({
				cycle: table.cycle.name,
				score: table.assessment.score,
				status: table.assessment.status
			})
			.from(table.assessment)
			.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId));
		const mean = (c: string) => {
			const xs = rows.filter((r) => r.cycle === c).map((r) => r.score ?? 0);
			return xs.reduce((a, b) => a + b, 0) / xs.length;
		};
		expect(mean('2026-Q4')).toBeGreaterThan(mean('2026-Q2'));
		const q4 = rows.filter((r) => r.cycle === '2026-Q4');
		expect(new Set(q4.map((r) => r.status))).toEqual(
			new Set(['draft', 'submitted', 'approved', 'returned'])
		);
		expect(new Set(q4.map((r) => r.score?.toFixed(2))).size).toBeGreaterThan(6);
		expect(q4.every((r) => r.score! > 0 && r.score! < 4)).toBe(true);
	});

	it('dates every submission and review inside its cycle and on or before 2026-11-29', async () => {
		const rows = await handle.db
			.select({
				startsOn: table.cycle.startsOn,
				dueOn: table.cycle.dueOn,
				submittedAt: table.assessment.submittedAt,
				reviewedAt: table.assessment.reviewedAt
			})
			.from(table.assessment)
			.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId));
		const day = (d: Date | null) => d?.toISOString().slice(0, 10);
		const submitted = rows.filter((r) => r.submittedAt);
		expect(submitted.length).toBeGreaterThan(24);
		for (const r of submitted) {
			expect(day(r.submittedAt)! >= r.startsOn && day(r.submittedAt)! <= r.dueOn).toBe(true);
			expect(day(r.submittedAt)! <= '2026-11-29').toBe(true);
			if (r.reviewedAt) expect(r.reviewedAt.getTime()).toBeGreaterThan(r.submittedAt!.getTime());
		}
	});

	it('has varied tool adoption, responsibility with a silo and a gap, and rotas for most teams', async () => {
		const adoption = await handle.db.select().from(table.toolAdoption);
		expect(new Set(adoption.map((a) => a.state))).toEqual(
			new Set(['enforced', 'adopted', 'evaluating'])
		);
		expect(new Set(adoption.map((a) => a.toolId)).size).toBeGreaterThan(15);
		const parties = (await handle.db.select().from(table.responsibility)).map((r) => r.party);
		expect(parties).toContain('nobody');
		expect(parties.filter((p) => p === 'security').length).toBeGreaterThan(12);
		const rotas = await handle.db.select().from(table.rota);
		expect(rotas.length).toBe(9);
	});
});

describe('demo pipelines', () => {
	const model = getModel();
	const teamId = async (slug: string) =>
		(await handle.db.select().from(table.team).where(eq(table.team.slug, slug)))[0]!.id;

	/** What the plan says each finding became, worked out from the plan alone. */
	const planned = demoAnalyses.flatMap((a) => {
		const last = Math.max(...a.weeks);
		const scanOf = (week: number) =>
			demoScanDate(
				a,
				a.weeks.find((w) => w >= week)!
			);
		return a.issues
			.filter((i) => i.opened <= last)
			.map((i) => {
				const fixed = i.fixed !== undefined && i.fixed <= last;
				return [
					a.team,
					a.repository,
					a.rules[i.rule]!.id,
					i.path,
					fixed ? 'fixed' : 'open',
					!!i.suppressed,
					scanOf(i.opened).toISOString(),
					fixed ? scanOf(i.fixed!).toISOString() : null
				].join(' | ');
			});
	});

	it('records every planned upload, in the weeks before the demo day', async () => {
		const scans = await handle.db
			.select({
				slug: table.team.slug,
				at: table.scan.uploadedAt,
				main: table.scan.onDefaultBranch
			})
			.from(table.scan)
			.innerJoin(table.team, eq(table.team.id, table.scan.teamId));
		for (const slug of ['payments-api', 'checkout-web', 'identity']) {
			const mine = demoAnalyses.filter((a) => a.team === slug);
			const ours = scans.filter((s) => s.slug === slug);
			expect(ours.filter((s) => s.main)).toHaveLength(mine.reduce((n, a) => n + a.weeks.length, 0));
			expect(ours.filter((s) => !s.main)).toHaveLength(
				mine.reduce((n, a) => n + (a.pullRequests?.length ?? 0), 0)
			);
		}
		expect(scans.length).toBeGreaterThan(40);
		const earliest = DEMO_TODAY.getTime() - DEMO_WEEKS * 7 * 86_400_000;
		for (const s of scans) expect(s.at.getTime()).toBeGreaterThan(earliest);
		for (const s of scans) expect(s.at.getTime()).toBeLessThan(DEMO_TODAY.getTime());
		// Weekly: one day a week, every week.
		expect(new Set(scans.map((s) => s.at.toISOString().slice(0, 10))).size).toBe(DEMO_WEEKS);
	});

	it('opens and fixes findings week by week as the plan says', async () => {
		const rows = await handle.db
			.select({
				slug: table.team.slug,
				repository: table.codeRepository.name,
				rule: table.finding.ruleId,
				path: table.finding.path,
				state: table.finding.state,
				suppressed: table.finding.suppressed,
				firstSeen: table.finding.firstSeenAt,
				fixedAt: table.finding.fixedAt
			})
			.from(table.finding)
			.innerJoin(table.team, eq(table.team.id, table.finding.teamId))
			.innerJoin(table.codeRepository, eq(table.codeRepository.id, table.finding.repositoryId));
		const stored = rows.map((r) =>
			[
				r.slug,
				r.repository,
				r.rule,
				r.path,
				r.state,
				r.suppressed,
				r.firstSeen.toISOString(),
				r.fixedAt?.toISOString() ?? null
			].join(' | ')
		);
		expect(stored.sort()).toEqual([...planned].sort());
		// By hand: 13 open (one suppressed) and 15 fixed, fixed in seven different weeks.
		expect(rows.filter((r) => r.state === 'open')).toHaveLength(13);
		expect(rows.filter((r) => r.suppressed)).toHaveLength(1);
		expect(rows.filter((r) => r.state === 'fixed')).toHaveLength(15);
		const fixedDays = rows.flatMap((r) =>
			r.fixedAt ? [r.fixedAt.toISOString().slice(0, 10)] : []
		);
		expect(new Set(fixedDays).size).toBe(7);
	});

	it('flags Gitleaks, recorded as enforced, as stale: it last ran more than 30 days ago', async () => {
		const checkout = await teamToolEvidence(
			handle.db,
			model,
			await teamId('checkout-web'),
			DEMO_TODAY,
			30
		);
		const byId = new Map(checkout.tools.map((t) => [t.toolId, t]));
		const gitleaks = demoAnalyses.find((a) => a.tool === 'Gitleaks')!;
		expect(byId.get('gitleaks')).toMatchObject({
			state: 'enforced',
			check: 'stale',
			lastRun: {
				daysAgo: Math.floor(
					(DEMO_TODAY.getTime() - demoScanDate(gitleaks, 2).getTime()) / 86_400_000
				),
				repository: 'checkout/web'
			}
		});
		expect(byId.get('gitleaks')!.lastRun!.daysAgo).toBeGreaterThan(30);
		expect(byId.get('codeql')).toMatchObject({ state: 'enforced', check: null });
		const payments = await teamToolEvidence(
			handle.db,
			model,
			await teamId('payments-api'),
			DEMO_TODAY,
			30
		);
		// "Semgrep OSS" is mapped to the catalogue's Semgrep.
		expect(payments.tools.find((t) => t.toolId === 'semgrep')).toMatchObject({
			check: null,
			lastRun: { daysAgo: 3, repository: 'payments/ledger' }
		});
	});

	it('has an "all" answer that the scans contradict', async () => {
		const id = await teamId(demoClaim.team);
		const [current] = await handle.db
			.select({ id: table.assessment.id })
			.from(table.assessment)
			.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
			.where(and(eq(table.assessment.teamId, id), eq(table.cycle.status, 'open')));
		const found = await assessmentContradictions(
			handle.db,
			model,
			{ assessmentId: current!.id, teamId: id },
			DEMO_TODAY
		);
		expect(found.find((c) => c.criterionId === demoClaim.criterionId)).toMatchObject({
			value: 1,
			facts: { covered: 1, repositories: 2, missing: ['checkout/widgets'] }
		});
	});
});
