import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import type { FindingFilters, FindingView } from '$lib/findings';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { teamFindingFigures } from './findings-page';
import { readFilters } from './findings-view';
import { allFindings, countFindings, findingsPage, teamAnalyses } from './team-findings';
import { DAY, recordFindings, type RecordedFindings } from './testing/findings-fixture';

/*
 * A team's findings figures and list against the real database, each compared with a count
 * made here from the stored rows (other teams, the archived one, suppressed, dismissed and fixed
 * findings are among them), and for Alpha also with the numbers counted by hand from the fixture.
 */

const none: FindingFilters = {
	view: 'open',
	severity: null,
	tool: null,
	repository: null,
	text: null
};

describe("a team's findings", () => {
	const t = testOrganisation();
	let fx: RecordedFindings;
	let rows: Awaited<ReturnType<typeof storedRows>>;
	const alpha = () => t.org.team('alpha');

	async function storedRows() {
		return t.db
			.select({
				id: table.finding.id,
				teamId: table.finding.teamId,
				ruleId: table.finding.ruleId,
				ruleName: table.finding.ruleName,
				message: table.finding.message,
				path: table.finding.path,
				severity: table.finding.severity,
				state: table.finding.state,
				suppressed: table.finding.suppressed,
				dismissedAt: table.finding.dismissedAt,
				firstSeenAt: table.finding.firstSeenAt,
				fixedAt: table.finding.fixedAt,
				tool: table.analysis.toolName,
				repository: table.codeRepository.name
			})
			.from(table.finding)
			.innerJoin(table.analysis, eq(table.analysis.id, table.finding.analysisId))
			.innerJoin(table.codeRepository, eq(table.codeRepository.id, table.finding.repositoryId));
	}
	const viewOf = (r: (typeof rows)[number]): FindingView =>
		r.state === 'fixed'
			? 'fixed'
			: r.dismissedAt
				? 'dismissed'
				: r.suppressed
					? 'suppressed'
					: 'open';
	const alphaRows = () => rows.filter((r) => r.teamId === alpha());

	beforeAll(async () => {
		fx = await recordFindings(t.db, t.org);
		rows = await storedRows();
	});

	const figures = () => teamFindingFigures(t.db, alpha(), new Date(fx.now));

	it('counts what was counted by hand from the fixture', async () => {
		const { figures: f } = await figures();
		expect(f.views).toEqual({ open: 14, suppressed: 1, dismissed: 1, fixed: 4 });
		expect(Object.fromEntries(f.bySeverity.map((s) => [s.severity, s.n]))).toEqual({
			critical: 4,
			high: 2,
			medium: 3,
			low: 4,
			none: 1
		});
		expect(f.byTool).toEqual([
			{ name: 'Semgrep OSS', n: 12 },
			{ name: 'Grype', n: 2 }
		]);
		expect(f.byRepository).toEqual([
			{ name: 'payments/api', n: 12 },
			{ name: 'payments/web', n: 2 }
		]);
		// Critical: 3, 20, 40 and 100 days old (a1 came back, so it is as old as its first sighting).
		expect(f.age).toEqual([
			{ severity: 'critical', groups: [1, 1, 1, 1, 0], oldestDays: 100 },
			{ severity: 'high', groups: [0, 1, 1, 0, 0], oldestDays: 40 }
		]);
		expect(f.weekly.new.reduce((a, b) => a + b, 0)).toBe(10);
		expect(f.weekly.fixed.reduce((a, b) => a + b, 0)).toBe(2);
	});

	it('counts per state, severity, tool, repository and age as the stored rows say', async () => {
		const { figures: f } = await figures();
		const mine = alphaRows();
		const count = (keep: (r: (typeof mine)[number]) => boolean) => mine.filter(keep).length;
		for (const view of ['open', 'suppressed', 'dismissed', 'fixed'] as const)
			expect(f.views[view], view).toBe(count((r) => viewOf(r) === view));
		const open = mine.filter((r) => viewOf(r) === 'open');
		for (const s of f.bySeverity)
			expect(s.n, s.severity).toBe(open.filter((r) => r.severity === s.severity).length);
		for (const tool of f.byTool)
			expect(tool.n, tool.name).toBe(open.filter((r) => r.tool === tool.name).length);
		for (const repo of f.byRepository)
			expect(repo.n, repo.name).toBe(open.filter((r) => r.repository === repo.name).length);
		const daysOld = (r: (typeof mine)[number]) => (fx.now - r.firstSeenAt.getTime()) / DAY;
		for (const age of f.age) {
			const severe = open.filter((r) => r.severity === age.severity);
			const within = (lo: number, hi: number) =>
				severe.filter((r) => daysOld(r) >= lo && daysOld(r) < hi).length;
			expect(age.groups).toEqual([
				within(0, 7),
				within(7, 30),
				within(30, 90),
				within(90, 180),
				within(180, Infinity)
			]);
			expect(age.oldestDays).toBe(Math.floor(Math.max(...severe.map(daysOld))));
		}
	});

	it('counts new and fixed per week (Monday, UTC) for the last twelve weeks', async () => {
		const { figures: f } = await figures();
		expect(f.weekly.weeks).toHaveLength(12);
		// Mondays, a week apart, the last one this week's.
		const monday = new Date(fx.now);
		while (monday.getUTCDay() !== 1) monday.setUTCDate(monday.getUTCDate() - 1);
		expect(f.weekly.weeks.at(-1)).toBe(monday.toISOString().slice(0, 10));
		for (const w of f.weekly.weeks) expect(new Date(`${w}T00:00:00Z`).getUTCDay()).toBe(1);
		const mine = alphaRows().filter((r) => !r.suppressed);
		const inWeek = (at: Date | null, week: string) => {
			if (!at) return false;
			const start = Date.parse(`${week}T00:00:00Z`);
			return at.getTime() >= start && at.getTime() < start + 7 * DAY;
		};
		expect(f.weekly.new).toEqual(
			f.weekly.weeks.map((w) => mine.filter((r) => inWeek(r.firstSeenAt, w)).length)
		);
		expect(f.weekly.fixed).toEqual(
			f.weekly.weeks.map((w) => mine.filter((r) => !r.dismissedAt && inWeek(r.fixedAt, w)).length)
		);
	});

	it('shows another team only its own findings', async () => {
		const beta = await teamFindingFigures(t.db, t.org.team('beta'), new Date(fx.now));
		const mine = rows.filter((r) => r.teamId === t.org.team('beta'));
		expect(beta.figures.views.open).toBe(mine.filter((r) => viewOf(r) === 'open').length);
		expect(beta.figures.views.fixed).toBe(2);
		expect(beta.options).toEqual({ tools: ['Semgrep OSS'], repositories: ['payments/api'] });
	});

	describe('the list', () => {
		const list = async (filters: Partial<FindingFilters>, limit = 100, offset = 0) => {
			const analyses = await teamAnalyses(t.db, alpha());
			const all = { ...none, ...filters };
			const page = await findingsPage(t.db, alpha(), all, analyses, { limit, offset });
			expect(await countFindings(t.db, alpha(), all, analyses)).toBeGreaterThanOrEqual(page.length);
			return page;
		};
		const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

		it('lists open findings most severe first, then oldest first', async () => {
			const page = await list({});
			const order = ['critical', 'high', 'medium', 'low', 'none'];
			const expected = alphaRows()
				.filter((r) => viewOf(r) === 'open')
				.sort(
					(a, b) =>
						order.indexOf(a.severity) - order.indexOf(b.severity) ||
						a.firstSeenAt.getTime() - b.firstSeenAt.getTime() ||
						a.id.localeCompare(b.id)
				);
			expect(page.map((r) => r.ruleId).slice(0, 4)).toEqual([
				'rule/a1',
				'rule/a10',
				'rule/g1',
				'rule/a12'
			]);
			expect(ids(page)).toEqual(ids(expected));
		});

		it('reads the same rows page by page, none twice', async () => {
			const whole = await list({});
			const pages = [];
			for (let offset = 0; offset < whole.length; offset += 4)
				pages.push(...(await list({}, 4, offset)));
			expect(ids(pages)).toEqual(ids(whole));
		});

		it.each([
			[
				'severity',
				{ severity: 'critical' } as const,
				(r: (typeof rows)[number]) => r.severity === 'critical'
			],
			['tool', { tool: 'Grype' }, (r: (typeof rows)[number]) => r.tool === 'Grype'],
			[
				'repository',
				{ repository: 'payments/web' },
				(r: (typeof rows)[number]) => r.repository === 'payments/web'
			],
			['tool and repository', { tool: 'Grype', repository: 'payments/web' }, () => false]
		])('filters by %s', async (_name, filters, keep) => {
			const page = await list(filters);
			const expected = alphaRows().filter((r) => viewOf(r) === 'open' && keep(r));
			expect(ids(page).sort()).toEqual(ids(expected).sort());
		});

		it.each(['suppressed', 'dismissed', 'fixed'] as const)('lists %s findings', async (view) => {
			const page = await list({ view });
			expect(ids(page).sort()).toEqual(ids(alphaRows().filter((r) => viewOf(r) === view)).sort());
			expect(page.length).toBeGreaterThan(0);
		});

		it('lists fixed findings latest first, with who dismissed one and why', async () => {
			const page = await list({ view: 'fixed' });
			const fixed = page.map((r) => r.fixedAt!.getTime());
			expect(fixed).toEqual([...fixed].sort((a, b) => b - a));
			expect(page.find((r) => r.ruleId === 'rule/w2')).toMatchObject({
				dismissedBy: 'Ann',
				dismissedReason: 'Accepted risk'
			});
		});

		it('searches rule, message and file, with % and _ as themselves', async () => {
			const search = async (text: string) => (await list({ text })).map((r) => r.ruleId).sort();
			expect(await search('the_pool')).toEqual(['rule/a9']);
			expect(await search('100%')).toEqual(['rule/a9']);
			// As patterns, these would match "Problem a5" and every rule.
			expect(await search('Problem%a5')).toEqual([]);
			expect(await search('rule_a')).toEqual([]);
			expect(await search('PROBLEM A5')).toEqual(['rule/a5']);
			expect(await search('etc/passwd')).toEqual(['rule/x1']);
			expect(await search('Rule a11')).toEqual(['rule/a11']);
		});

		it('counts a search as the rows say', async () => {
			const analyses = await teamAnalyses(t.db, alpha());
			const n = await countFindings(t.db, alpha(), { ...none, text: 'problem' }, analyses);
			expect(n).toBe(
				alphaRows().filter((r) => viewOf(r) === 'open' && /problem/i.test(r.message)).length
			);
		});

		it('exports every row the filters keep, in the list’s order, without the help', async () => {
			const analyses = await teamAnalyses(t.db, alpha());
			const exported = [];
			for await (const r of allFindings(t.db, alpha(), none, analyses, 3)) exported.push(r);
			expect(ids(exported)).toEqual(ids(await list({})));
			expect(exported.every((r) => r.helpDigest === null)).toBe(true);
		});

		it('ignores a tool or repository the team does not have', () => {
			const known = { tools: ['Grype'], repositories: ['payments/api'] };
			const read = (q: string) => readFilters(new URLSearchParams(q), known).filters;
			expect(read('tool=Trivy&repository=other/repo')).toEqual(none);
			expect(read('tool=Grype')).toEqual({ ...none, tool: 'Grype' });
		});
	});
});
