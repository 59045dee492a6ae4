import { isHttpError, isRedirect } from '@sveltejs/kit';
import { eq, sql } from 'drizzle-orm';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import type { GlobalRole, PlanStatus } from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import type { SessionUser } from '$lib/server/auth/session';
import { getModel } from '$lib/server/model/load-model';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { PersonName } from '$lib/server/testing/organisation';
import { actions, load } from './+page.server';
import ExecutiveSummary from './ExecutiveSummary.svelte';
import type { PageServerData } from './$types';

type Fields = Record<string, string>;

describe('the printable report: executive summary and improvement plans', () => {
	const t = testOrganisation();
	const CYCLE = '2026-Q2';
	const as = (name: PersonName, role: GlobalRole): SessionUser => {
		const u = t.org.users.find((x) => x.name === name)!;
		return { id: u.id, email: u.email, name: u.name, role };
	};
	const event = (user: SessionUser, search = '', form?: Fields) => {
		const url = new URL(`http://127.0.0.1/reports/${CYCLE}${search}`);
		const body = new FormData();
		for (const [k, v] of Object.entries(form ?? {})) body.append(k, v);
		return {
			locals: { db: t.db, user, session: null, ip: '203.0.113.9' },
			params: { cycle: CYCLE },
			url,
			route: { id: '/(app)/reports/[cycle]' },
			request: new Request(url, { method: 'POST', body })
		} as never;
	};
	const open = async (user: SessionUser, search = '') =>
		(await load(event(user, search))) as PageServerData;
	/** What the action answers: its return value, or the redirect or error it throws. */
	const submit = async (user: SessionUser, form: Fields, search = '?/summary') => {
		try {
			return { result: (await actions.summary!(event(user, search, form))) as never };
		} catch (e) {
			if (isRedirect(e)) return { redirect: e.location };
			if (isHttpError(e)) return { status: e.status };
			throw e;
		}
	};
	/** The cycle's summary columns and the audit log's length: what a refused save must not move. */
	const stored = async () => {
		const [c] = await t.db
			.select({
				text: table.cycle.summary,
				at: table.cycle.summaryUpdatedAt,
				by: table.cycle.summaryUpdatedBy
			})
			.from(table.cycle)
			.where(eq(table.cycle.id, t.org.cycle(CYCLE)));
		const [{ n }] = rowsOf<{ n: number }>(
			await t.db.execute(sql`select count(*)::int as n from audit_log`)
		) as [{ n: number }];
		return { ...c!, audit: n };
	};
	const security = () => as('Fay', 'security');
	const stamp = async () => (await open(security())).summary.stamp!;

	it('is written by the security team and admins only: leadership and members get 403 and nothing is stored', async () => {
		const before = await stored();
		for (const user of [as('Eve', 'leadership'), as('Ann', 'member'), as('Cy', 'member')]) {
			const answer = await submit(user, { summary: 'Quietly replaced', seen: '' });
			expect(answer.status).toBe(403);
		}
		expect(await stored()).toEqual(before);
		// Leadership reads the report, without the editor's text or version.
		const page = await open(as('Eve', 'leadership'));
		expect(page.summary.source).toBeNull();
		expect(page.summary.stamp).toBeNull();
	});

	it('stores what the security team writes, audits it and shows it rendered', async () => {
		const before = await stored();
		const answer = await submit(security(), {
			summary: 'Build **improved**; see [[practice:threat-modeling]].',
			seen: await stamp()
		});
		expect(answer.redirect).toBe(`/reports/${CYCLE}#summary-heading`);
		const after = await stored();
		expect(after.text).toBe('Build **improved**; see [[practice:threat-modeling]].');
		expect(after.by).toBe(as('Fay', 'security').id);
		expect(after.audit).toBe(before.audit + 1);
		const [entry] = await t.db
			.select()
			.from(table.auditLog)
			.orderBy(sql`${table.auditLog.id} desc`)
			.limit(1);
		expect(entry).toMatchObject({
			action: 'cycle.summary_changed',
			actorId: as('Fay', 'security').id,
			targetType: 'cycle',
			targetId: t.org.cycle(CYCLE)
		});
		const page = await open(as('Eve', 'leadership'));
		expect(page.summary.html).toContain('<strong>improved</strong>');
		expect(page.summary.html).toContain('<a href="/practices/threat-modeling">');
		// An admin may write it too.
		const admin = await submit(as('Admin', 'admin'), {
			summary: 'Admin wording.',
			seen: await stamp()
		});
		expect(admin.redirect).toBeDefined();
	});

	it('renders markdown from an attacker inert: no script, no raw HTML, no javascript: or data: links', async () => {
		const attack = [
			'<script>alert(1)</script>',
			'<img src=x onerror=alert(1)>',
			'<a href="javascript:alert(1)">raw link</a>',
			'[plain](javascript:alert(1))',
			'[upper](JAVASCRIPT:alert(1))',
			'[spaced]( javascript:alert(1))',
			'[entity](jav&#x09;ascript:alert(1))',
			'[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
			'<iframe src="https://example.com"></iframe>',
			'[ok](https://example.com/report)'
		].join('\n\n');
		const answer = await submit(security(), { summary: attack, seen: await stamp() });
		expect(answer.redirect).toBeDefined();
		const page = await open(as('Eve', 'leadership'));
		const html = render(ExecutiveSummary, {
			props: { summary: page.summary, sentences: page.sentences, form: null, unitId: null }
		}).body;
		expect(html).not.toMatch(/<script/i);
		expect(html).not.toMatch(/<img/i);
		expect(html).not.toMatch(/<iframe/i);
		expect(html).not.toMatch(/href="\s*(javascript|data):/i);
		expect(html).not.toMatch(/<[^>]*\son\w+=/i);
		// The text is still there, as text; the safe link stays a link.
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
		expect(html).toContain('<a href="https://example.com/report" rel="noopener noreferrer">ok</a>');
	});

	it('refuses control characters and overlong text beside the field, storing nothing', async () => {
		const before = await stored();
		for (const summary of ['Fine\u0000', 'Hidden\u001b[31m', 'x'.repeat(8001)]) {
			const answer = (await submit(security(), { summary, seen: await stamp() })) as {
				result: { status: number; data: { errors: Record<string, string>; action: string } };
			};
			expect(answer.result.status).toBe(400);
			expect(answer.result.data.action).toBe('summary');
			expect(answer.result.data.errors.summary).toBeTruthy();
		}
		expect(await stored()).toEqual(before);
	});

	it('never overwrites a summary saved since the editor opened it: 409, the text kept', async () => {
		const opened = await stamp();
		expect((await submit(security(), { summary: 'First', seen: opened })).redirect).toBeDefined();
		const before = await stored();
		const late = (await submit(as('Admin', 'admin'), { summary: 'Second', seen: opened })) as {
			result: { status: number; data: { values: Fields; errors: Fields } };
		};
		expect(late.result.status).toBe(409);
		expect(late.result.data.values.summary).toBe('Second');
		expect(late.result.data.values.seen).toBe(await stamp());
		expect(await stored()).toEqual(before);
	});

	it("lists each active team's open plan items in scope, soonest due first", async () => {
		const model = getModel();
		const statuses: PlanStatus[] = ['planned', 'in_progress', 'done', 'dropped'];
		const made: { teamId: string; status: PlanStatus; dueOn: string; action: string }[] = [];
		for (const [ti, team] of t.org.teams.entries()) {
			for (let i = 0; i < 4; i++) {
				const item = {
					teamId: team.id,
					status: statuses[(i + ti) % 4]!,
					dueOn: `2026-0${(i * 5 + ti) % 9}-1${i}`.replace('-00-', '-09-'),
					action: `Step ${i} for ${team.slug}`
				};
				made.push(item);
				await t.db.insert(table.planItem).values({ ...item, practiceId: model.practices[i]!.id });
			}
		}
		const today = new Date().toISOString().slice(0, 10);
		for (const unit of [null, 'Payments'] as const) {
			const unitId = unit ? t.org.unit(unit) : null;
			const teams = t.org.teams
				.filter((x) => x.active && (unitId === null || x.orgUnitId === unitId))
				.sort((a, b) => a.name.localeCompare(b.name));
			const expected = teams
				.map((x) => ({
					team: x.name,
					items: made
						.filter(
							(i) => i.teamId === x.id && (i.status === 'planned' || i.status === 'in_progress')
						)
						.sort((a, b) => a.dueOn.localeCompare(b.dueOn))
						.map((i) => ({ action: i.action, dueOn: i.dueOn, overdue: i.dueOn < today }))
				}))
				.filter((x) => x.items.length);
			const page = await open(as('Eve', 'leadership'), unitId ? `?unit=${unitId}` : '');
			expect(
				page.plans.map((p) => ({
					team: p.team,
					items: p.items.map((i) => ({ action: i.action, dueOn: i.dueOn, overdue: i.overdue }))
				}))
			).toEqual(expected);
		}
		// Archived teams have open items that the report leaves out.
		expect(
			made.some(
				(i) => !t.org.teams.find((x) => x.id === i.teamId)!.active && i.status === 'planned'
			)
		).toBe(true);
	});
});
