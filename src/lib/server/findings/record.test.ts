import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { countScan, recordUpload, type Upload } from './record';
import type { ReportedFinding, ScanReport, Severity } from './scan-report';

/*
 * The life of findings across uploads, against the real database: what opens, what is fixed and
 * when, what comes back, what a branch other than the default changes (nothing), and that the
 * same file twice adds nothing.
 */

const semgrep = { name: 'Semgrep OSS', version: '1.2.3' };
const grype = { name: 'Grype', version: '0.70.0' };

function found(
	key: string,
	opts: { tool?: typeof semgrep; severity?: Severity; suppressed?: boolean } = {}
): ReportedFinding {
	return {
		key: `${key}-`.padEnd(64, '0'),
		tool: opts.tool ?? semgrep,
		ruleId: `rule-${key}`,
		ruleName: null,
		severity: opts.severity ?? 'high',
		message: `Problem ${key}`,
		help: '**Fix** it',
		location: { path: `src/${key}.ts`, startLine: 3, endLine: 4 },
		suppressed: opts.suppressed ? { kind: 'inSource', justification: 'test data' } : null
	};
}

function report(findings: ReportedFinding[], tools = [semgrep]): ScanReport {
	return {
		format: 'sarif',
		tools,
		findings,
		results: findings.length,
		skipped: 0,
		components: null
	};
}

describe('recording uploads', () => {
	const t = testOrganisation();
	const day = (n: number) => new Date(Date.UTC(2026, 4, n, 12));
	const upload = (teamSlug: 'alpha' | 'beta', r: ScanReport, more: Partial<Upload> = {}) => ({
		teamId: t.org.team(teamSlug),
		tokenId: null,
		repository: 'payments/api',
		ref: 'refs/heads/main',
		commit: 'abc1234',
		category: null,
		report: r,
		...more
	});
	const findings = async (teamSlug: 'alpha' | 'beta') =>
		(
			await t.db
				.select()
				.from(table.finding)
				.where(eq(table.finding.teamId, t.org.team(teamSlug)))
		).sort((a, b) => a.key.localeCompare(b.key));
	const counts = async () => {
		const [row] = await t.db
			.execute(
				sql`select
			(select count(*)::int from scan) as scans,
			(select count(*)::int from finding) as findings,
			(select count(*)::int from analysis) as analyses,
			(select count(*)::int from code_repository) as repositories`
			)
			.then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows));
		return row as Record<string, number>;
	};

	it('opens what the first default-branch upload reports, suppressed ones counted apart', async () => {
		const result = await recordUpload(
			t.db,
			upload('alpha', report([found('a'), found('b'), found('c', { suppressed: true })])),
			day(1)
		);
		expect(result.onDefaultBranch).toBe(true);
		expect(result.repository).toMatchObject({ name: 'payments/api', defaultBranch: 'main' });
		expect(result.counts).toEqual({
			results: 3,
			new: 2,
			reopened: 0,
			fixed: 0,
			unchanged: 0,
			suppressed: 1
		});
		const rows = await findings('alpha');
		expect(rows.map((f) => [f.key[0], f.state, f.suppressed])).toEqual([
			['a', 'open', false],
			['b', 'open', false],
			['c', 'open', true]
		]);
		expect(rows[0]).toMatchObject({
			ruleId: 'rule-a',
			severity: 'high',
			message: 'Problem a',
			help: '**Fix** it',
			path: 'src/a.ts',
			startLine: 3,
			endLine: 4,
			firstSeenAt: day(1),
			lastSeenAt: day(1),
			fixedAt: null
		});
		expect(rows[2]).toMatchObject({
			suppressionKind: 'inSource',
			suppressionJustification: 'test data'
		});
		const [scan] = await t.db
			.select()
			.from(table.scan)
			.where(eq(table.scan.uploadId, result.uploadId!));
		expect(scan).toMatchObject({
			ref: 'refs/heads/main',
			commitSha: 'abc1234',
			onDefaultBranch: true,
			format: 'sarif',
			toolVersion: '1.2.3',
			results: 3,
			newCount: 2,
			fixedCount: 0,
			unchangedCount: 0,
			suppressedCount: 1
		});
	});

	it('the same file again adds no finding and changes only last seen', async () => {
		const before = await counts();
		const result = await recordUpload(
			t.db,
			upload('alpha', report([found('a'), found('b'), found('c', { suppressed: true })])),
			day(2)
		);
		expect(result.counts).toMatchObject({
			results: 3,
			new: 0,
			fixed: 0,
			unchanged: 2,
			suppressed: 1
		});
		const after = await counts();
		expect(after).toEqual({ ...before, scans: before.scans! + 1 });
		const rows = await findings('alpha');
		expect(rows.every((f) => f.firstSeenAt.getTime() === day(1).getTime())).toBe(true);
		expect(rows.every((f) => f.lastSeenAt.getTime() === day(2).getTime())).toBe(true);
	});

	it('another branch shows the tool ran and compares, but changes no finding', async () => {
		const before = await findings('alpha');
		for (const ref of ['refs/pull/7/merge', 'feature/x', 'refs/heads/feature/x', 'refs/tags/v1']) {
			const result = await recordUpload(
				t.db,
				upload('alpha', report([found('a'), found('d')]), { ref }),
				day(3)
			);
			expect(result.onDefaultBranch, ref).toBe(false);
			// Compared with the default branch: d would be new, b (and the suppressed c) would be fixed.
			expect(result.counts, ref).toMatchObject({ results: 2, new: 1, unchanged: 1, fixed: 2 });
		}
		expect(await findings('alpha')).toEqual(before);
		const scans = await t.db
			.select({ ref: table.scan.ref, onDefault: table.scan.onDefaultBranch })
			.from(table.scan)
			.where(eq(table.scan.teamId, t.org.team('alpha')));
		expect(scans.filter((s) => !s.onDefault).map((s) => s.ref)).toHaveLength(4);
	});

	it('fixes what the default branch no longer reports, with the date, and reopens what comes back', async () => {
		const fixedRun = await recordUpload(
			t.db,
			upload('alpha', report([found('a')]), { ref: 'main' }),
			day(4)
		);
		expect(fixedRun.onDefaultBranch).toBe(true);
		expect(fixedRun.counts).toMatchObject({ results: 1, new: 0, unchanged: 1, fixed: 2 });
		let rows = await findings('alpha');
		expect(rows.map((f) => [f.key[0], f.state, f.fixedAt?.getTime() ?? null])).toEqual([
			['a', 'open', null],
			['b', 'fixed', day(4).getTime()],
			['c', 'fixed', day(4).getTime()]
		]);
		const back = await recordUpload(
			t.db,
			upload('alpha', report([found('a'), found('b')])),
			day(5)
		);
		expect(back.counts).toMatchObject({ results: 2, new: 1, reopened: 1, unchanged: 1, fixed: 0 });
		rows = await findings('alpha');
		expect(rows.map((f) => [f.key[0], f.state])).toEqual([
			['a', 'open'],
			['b', 'open'],
			['c', 'fixed']
		]);
		const b = rows[1]!;
		expect(b.firstSeenAt).toEqual(day(1));
		expect(b.lastSeenAt).toEqual(day(5));
		expect(b.fixedAt).toBeNull();
	});

	it('keeps one analysis per tool and category: a log with two tools is two scans, and another category does not fix the first', async () => {
		const result = await recordUpload(
			t.db,
			upload('beta', report([found('x', { tool: grype }), found('y')], [semgrep, grype])),
			day(1)
		);
		expect(result.scans.map((s) => [s.tool.name, s.counts.new]).sort()).toEqual([
			['Grype', 1],
			['Semgrep OSS', 1]
		]);
		const other = await recordUpload(
			t.db,
			upload('beta', report([found('z')]), { category: '/language:python' }),
			day(2)
		);
		expect(other.counts).toMatchObject({ new: 1, fixed: 0 });
		const analyses = await t.db
			.select({ tool: table.analysis.toolName, category: table.analysis.category })
			.from(table.analysis)
			.where(eq(table.analysis.teamId, t.org.team('beta')));
		expect(analyses.map((a) => `${a.tool}|${a.category}`).sort()).toEqual([
			'Grype|',
			'Semgrep OSS|',
			'Semgrep OSS|/language:python'
		]);
		expect((await findings('beta')).every((f) => f.state === 'open')).toBe(true);
		// Alpha's repository of the same name is Alpha's own.
		const repos = await t.db
			.select()
			.from(table.codeRepository)
			.where(eq(table.codeRepository.name, 'payments/api'));
		expect(repos.map((r) => r.teamId).sort()).toEqual(
			[t.org.team('alpha'), t.org.team('beta')].sort()
		);
	});

	it('follows the repository’s own default branch', async () => {
		await t.db
			.update(table.codeRepository)
			.set({ defaultBranch: 'trunk' })
			.where(
				and(
					eq(table.codeRepository.teamId, t.org.team('beta')),
					eq(table.codeRepository.name, 'payments/api')
				)
			);
		const onMain = await recordUpload(t.db, upload('beta', report([])), day(3));
		expect(onMain.onDefaultBranch).toBe(false);
		expect(onMain.counts.fixed).toBe(1);
		expect((await findings('beta')).every((f) => f.state === 'open')).toBe(true);
		const onTrunk = await recordUpload(
			t.db,
			upload('beta', report([]), { ref: 'refs/heads/trunk' }),
			day(3)
		);
		expect(onTrunk.onDefaultBranch).toBe(true);
		// Semgrep's default-category analysis had one open finding (y); Grype's is untouched.
		expect(onTrunk.counts).toMatchObject({ results: 0, fixed: 1 });
		const byKey = new Map((await findings('beta')).map((f) => [f.key[0], f.state]));
		expect(Object.fromEntries(byKey)).toEqual({ x: 'open', y: 'fixed', z: 'open' });
		// No ref: the default branch.
		const noRef = await recordUpload(
			t.db,
			upload('beta', report([found('y')]), { ref: null }),
			day(4)
		);
		expect(noRef).toMatchObject({ ref: 'trunk', onDefaultBranch: true });
		expect(noRef.counts).toMatchObject({ new: 1, reopened: 1 });
	});

	it('records nothing for a log that names no tool', async () => {
		const before = await counts();
		const result = await recordUpload(t.db, upload('alpha', report([], [])), day(6));
		expect(result).toMatchObject({ uploadId: null, scans: [], counts: { results: 0 } });
		expect(await counts()).toEqual(before);
	});

	it('records 10,000 results in batches, and again', async () => {
		const many = Array.from({ length: 10_000 }, (_, i) =>
			found(`m${i}`, { severity: i % 7 === 0 ? 'critical' : 'medium' })
		);
		const started = performance.now();
		const first = await recordUpload(
			t.db,
			upload('alpha', report(many), { repository: 'payments/big' }),
			day(7)
		);
		const firstMs = performance.now() - started;
		expect(first.counts).toMatchObject({ results: 10_000, new: 10_000 });
		const again = performance.now();
		const second = await recordUpload(
			t.db,
			upload('alpha', report(many.slice(0, 9_000)), { repository: 'payments/big' }),
			day(8)
		);
		const secondMs = performance.now() - again;
		expect(second.counts).toMatchObject({ results: 9_000, new: 0, unchanged: 9_000, fixed: 1_000 });
		// Generous bounds for a shared test machine; the bench measures the real budget.
		expect(firstMs).toBeLessThan(15_000);
		expect(secondMs).toBeLessThan(15_000);
	});
});

describe('counting a scan against stored findings', () => {
	it('tells new, reopened, unchanged, fixed and suppressed apart', () => {
		const stored = new Map<string, 'open' | 'fixed'>([
			['a-'.padEnd(64, '0'), 'open'],
			['b-'.padEnd(64, '0'), 'fixed'],
			['c-'.padEnd(64, '0'), 'open'],
			['d-'.padEnd(64, '0'), 'fixed']
		]);
		expect(
			countScan([found('a'), found('b'), found('e'), found('f', { suppressed: true })], stored)
		).toEqual({ results: 4, new: 2, reopened: 1, unchanged: 1, fixed: 1, suppressed: 1 });
	});
});
