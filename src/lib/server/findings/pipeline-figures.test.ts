import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { SessionUser } from '$lib/server/auth/session';
import { render } from 'svelte/server';
import PipelineFigures from '$lib/components/dashboard/PipelineFigures.svelte';
import { load as dashboardLoad } from '../../../routes/(app)/dashboard/+page.server';
import { load as reportLoad } from '../../../routes/(app)/reports/[cycle]/+page.server';
import { pipelineFigures, SCANS_STOPPED_DAYS } from './pipeline-figures';
import { DAY, recordFindings, type RecordedFindings } from './testing/findings-fixture';

/*
 * The organisation's pipeline figures against the fixture's findings (testing/findings-fixture):
 * each compared with the numbers counted by hand and with a count made here from the stored rows.
 * The archived team (Legacy) has open critical findings, a fix in 30 days and scans that stopped:
 * none of them may count.
 */

describe('pipeline figures for the organisation', () => {
	const t = testOrganisation();
	let fx: RecordedFindings;
	let today: string;
	beforeAll(async () => {
		fx = await recordFindings(t.db, t.org);
		today = new Date(fx.now).toISOString().slice(0, 10);
	});
	const whole = { unitId: null };

	async function rows() {
		return t.db
			.select({
				teamId: table.finding.teamId,
				severity: table.finding.severity,
				state: table.finding.state,
				suppressed: table.finding.suppressed,
				dismissedAt: table.finding.dismissedAt,
				firstSeenAt: table.finding.firstSeenAt,
				fixedAt: table.finding.fixedAt
			})
			.from(table.finding);
	}
	const active = () => new Set(t.org.teams.filter((x) => x.active).map((x) => x.id));
	const median = (xs: number[]) => {
		const s = [...xs].sort((a, b) => a - b);
		const mid = Math.floor(s.length / 2);
		return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
	};

	it('counts by hand: open critical and high per unit, who stopped scanning, days to fix', async () => {
		const f = await pipelineFigures(t.db, whole, today);
		expect(
			f.severe.map(({ unit, critical, high, teams }) => ({ unit, critical, high, teams }))
		).toEqual([
			// Alpha (4 critical, 2 high) and Beta (1 critical).
			{ unit: 'Payments', critical: 5, high: 2, teams: 2 },
			// Gamma; archived Legacy's open critical is not counted.
			{ unit: 'Platform', critical: 1, high: 0, teams: 1 }
		]);
		expect(f.stopped.map((s) => s.slug)).toEqual(['gamma']);
		expect(f.stoppedDays).toBe(30);
		expect(f.fixing).toEqual([
			// a2: 100 → 40 days ago.
			{ severity: 'critical', fixed: 1, medianDays: 60 },
			// a3 97 days, b2 and b3 3 days each, c1 15 days.
			{ severity: 'high', fixed: 4, medianDays: 9 },
			{ severity: 'medium', fixed: 0, medianDays: null },
			{ severity: 'low', fixed: 0, medianDays: null },
			{ severity: 'none', fixed: 0, medianDays: null }
		]);
	});

	it('counts open critical and high per unit as the stored rows of active teams say', async () => {
		const f = await pipelineFigures(t.db, whole, today);
		const live = active();
		const open = (await rows()).filter(
			(r) => live.has(r.teamId) && r.state === 'open' && !r.suppressed && !r.dismissedAt
		);
		const unitOf = new Map(t.org.teams.map((x) => [x.id, x.orgUnitId]));
		for (const row of f.severe) {
			const mine = open.filter((r) => unitOf.get(r.teamId) === row.unitId);
			expect(row.critical, row.unit).toBe(mine.filter((r) => r.severity === 'critical').length);
			expect(row.high, row.unit).toBe(mine.filter((r) => r.severity === 'high').length);
		}
		const total = f.severe.reduce((n, r) => n + r.critical + r.high, 0);
		expect(total).toBe(open.filter((r) => ['critical', 'high'].includes(r.severity)).length);
	});

	it('names the active teams with scans and none in the last 30 days', async () => {
		const f = await pipelineFigures(t.db, whole, today);
		const scans = await t.db
			.select({ teamId: table.scan.teamId, at: table.scan.uploadedAt })
			.from(table.scan);
		const cutoff = Date.parse(`${today}T00:00:00Z`) - SCANS_STOPPED_DAYS * DAY;
		const live = active();
		const expected = [...live].filter((id) => {
			const mine = scans.filter((s) => s.teamId === id);
			return mine.length > 0 && mine.every((s) => s.at.getTime() < cutoff);
		});
		expect(f.stopped.map((s) => s.teamId)).toEqual(expected);
		const [gamma] = f.stopped;
		expect(gamma!.lastScanAt).toBe(new Date(fx.now - 45 * DAY).toISOString().slice(0, 10));
	});

	it('takes the median days to fix per severity as the stored rows of active teams say', async () => {
		const f = await pipelineFigures(t.db, whole, today);
		const live = active();
		const fixed = (await rows()).filter(
			(r) => live.has(r.teamId) && r.fixedAt && !r.suppressed && !r.dismissedAt
		);
		for (const row of f.fixing) {
			const days = fixed
				.filter((r) => r.severity === row.severity)
				.map((r) => (r.fixedAt!.getTime() - r.firstSeenAt.getTime()) / DAY);
			expect(row.fixed, row.severity).toBe(days.length);
			expect(row.medianDays, row.severity).toBe(
				days.length ? Math.round(median(days) * 10) / 10 : null
			);
		}
	});

	it('keeps to a unit or a department', async () => {
		const platform = await pipelineFigures(t.db, { unitId: t.org.unit('Platform') }, today);
		expect(platform.severe.map((r) => r.unit)).toEqual(['Platform']);
		expect(platform.stopped.map((s) => s.slug)).toEqual(['gamma']);
		expect(platform.fixing.find((r) => r.severity === 'high')).toMatchObject({
			fixed: 1,
			medianDays: 15
		});
		const sales = await pipelineFigures(t.db, { unitId: t.org.unit('Sales') }, today);
		expect(sales.severe).toEqual([]);
		expect(sales.stopped).toEqual([]);
		const engineering = await pipelineFigures(t.db, { unitId: t.org.unit('Engineering') }, today);
		expect(engineering.severe.map((r) => r.unit).sort()).toEqual(['Payments', 'Platform']);
	});

	it("shows on leadership's dashboard and the report, not on a member's dashboard", async () => {
		const user = (name: 'Bo' | 'Gus', role: SessionUser['role']): SessionUser => {
			const u = t.org.users.find((x) => x.name === name)!;
			return { id: u.id, email: u.email, name: u.name, role };
		};
		const event = (who: SessionUser, path: string, params: Record<string, string> = {}) =>
			({
				locals: { db: t.db, user: who, ip: '127.0.0.1' },
				url: new URL(`http://127.0.0.1${path}`),
				params,
				setHeaders: () => {}
			}) as never;
		const expected = await pipelineFigures(t.db, whole, new Date().toISOString().slice(0, 10));
		const leadership = (await dashboardLoad(event(user('Gus', 'leadership'), '/dashboard'))) as {
			view: { pipeline: unknown };
		};
		expect(leadership.view.pipeline).toEqual(expected);
		const member = (await dashboardLoad(event(user('Bo', 'member'), '/dashboard'))) as {
			view: { pipeline: unknown };
		};
		expect(member.view.pipeline).toBeNull();
		const report = (await reportLoad(
			event(user('Gus', 'leadership'), '/reports/2026-Q2', { cycle: '2026-Q2' })
		)) as { pipeline: unknown };
		expect(report.pipeline).toEqual(expected);
		const onPaper = render(PipelineFigures, {
			props: { figures: expected, linkTeams: false }
		}).body.replace(/<!--[^>]*-->/g, '');
		expect(onPaper).toContain('Gamma: last scan');
		expect(onPaper).not.toContain('href="/teams/gamma');
		const onScreen = render(PipelineFigures, {
			props: { figures: expected, linkTeams: true }
		}).body.replace(/<!--[^>]*-->/g, '');
		expect(onScreen).toContain('<a href="/teams/gamma/findings">Gamma</a>');
		// The chart's numbers are in its table.
		expect(onScreen).toMatch(
			/<th scope="row">Payments \(Engineering\)<\/th>\s*<td>5<\/td>\s*<td>2<\/td>/
		);
	});

	it('no longer counts a team once it is archived', async () => {
		await t.db
			.update(table.team)
			.set({ active: false })
			.where(eq(table.team.id, t.org.team('gamma')));
		try {
			const f = await pipelineFigures(t.db, whole, today);
			expect(f.stopped).toEqual([]);
			expect(f.severe.map((r) => r.unit)).toEqual(['Payments']);
		} finally {
			await t.db
				.update(table.team)
				.set({ active: true })
				.where(eq(table.team.id, t.org.team('gamma')));
		}
	});
});
