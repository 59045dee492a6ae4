import { isHttpError, isRedirect } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { render } from 'svelte/server';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GlobalRole } from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import type { SessionUser } from '$lib/server/auth/session';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { PersonName } from '$lib/server/testing/organisation';
import {
	hostile,
	recordFindings,
	type RecordedFindings
} from '$lib/server/findings/testing/findings-fixture';
import { actions, load } from './+page.server';
import { GET as csv } from '../findings.csv/+server';
import Page from './+page.svelte';
import type { PageServerData } from './$types';

/*
 * The findings page from the attacker's side: who sees it, who dismisses, what a dismissal of
 * another team's finding or a hostile reason changes (nothing), what bad filters do (ignored),
 * and that hostile text from a pipeline reaches the page inert.
 */

describe('the findings page', () => {
	const t = testOrganisation();
	let fx: RecordedFindings;
	type Who = [PersonName, GlobalRole?];
	const who = ([name, role]: Who) => as(name, role);
	const as = (name: PersonName, role: GlobalRole = 'member'): SessionUser => {
		const u = t.org.users.find((x) => x.name === name)!;
		return { id: u.id, email: u.email, name: u.name, role };
	};
	const event = (
		user: SessionUser | null,
		slug: string,
		search = '',
		form?: Record<string, string>
	) => {
		const url = new URL(`http://127.0.0.1/teams/${slug}/findings${search}`);
		const body = new FormData();
		for (const [k, v] of Object.entries(form ?? {})) body.append(k, v);
		return {
			locals: { db: t.db, user, session: null, ip: '203.0.113.9' },
			params: { slug },
			url,
			route: { id: '/(app)/teams/[slug]/findings' },
			request: new Request(url, { method: form ? 'POST' : 'GET', body: form ? body : undefined })
		} as never;
	};
	/** What a handler answers: its value, or the redirect or error it throws. */
	const outcome = async <T>(run: () => Promise<T>) => {
		try {
			return { result: await run() };
		} catch (e) {
			if (isRedirect(e)) return { redirect: e.location };
			if (isHttpError(e)) return { status: e.status, message: e.body.message };
			throw e;
		}
	};
	const open = (user: SessionUser | null, slug = 'alpha', search = '') =>
		outcome(async () => (await load(event(user, slug, search))) as PageServerData);
	const submit = (
		name: 'dismiss' | 'restore',
		user: SessionUser,
		form: Record<string, string>,
		slug = 'alpha',
		search = ''
	) => outcome(() => actions[name]!(event(user, slug, search, form)) as Promise<unknown>);
	const snapshot = async () => ({
		findings: rowsOf(
			await t.db.execute(
				sql`select id, dismissed_at, dismissed_by, dismissed_reason from finding order by id`
			)
		).map((r) => JSON.stringify(r)),
		audit: rowsOf(await t.db.execute(sql`select count(*)::int as n from audit_log`))
	});

	beforeAll(async () => {
		fx = await recordFindings(t.db, t.org);
	});

	describe('who sees it', () => {
		it.each([
			['a member of the team', ['Bo'] as Who, true],
			['its lead', ['Ann'] as Who, true],
			['the security team', ['Gus', 'security'] as Who, false],
			['leadership', ['Gus', 'leadership'] as Who, false],
			['an admin outside the team', ['Admin', 'admin'] as Who, false]
		])('%s sees the findings', async (_who, user, canDismiss) => {
			const { result } = await open(who(user));
			expect(result?.figures.views.open).toBe(14);
			expect(result?.canDismiss).toBe(canDismiss);
		});

		it.each([
			['a member of another team', ['Cy'] as Who, 'alpha'],
			['anyone, for a team that does not exist', ['Admin', 'admin'] as Who, 'nope']
		])('%s gets 404, for the page and its export', async (_who, user, slug) => {
			expect(await open(who(user), slug)).toMatchObject({ status: 404 });
			expect(await outcome(async () => csv(event(who(user), slug) as never))).toMatchObject({
				status: 404
			});
		});

		it('sends someone signed out to sign in', async () => {
			expect((await open(null)).redirect).toMatch(/^\/login\?next=/);
		});
	});

	describe('bad filters', () => {
		it('ignores values it does not offer and shows the last page for one past the end', async () => {
			const { result } = await open(
				as('Bo'),
				'alpha',
				'?state=all&severity=urgent&tool=%3Cscript%3E&repository=beta%2Fapi&page=-3&q='
			);
			expect(result?.filters).toEqual({
				view: 'open',
				severity: null,
				tool: null,
				repository: null,
				text: null
			});
			expect(result?.list).toMatchObject({ page: 1, pages: 1, total: 14 });
			const far = await open(as('Bo'), 'alpha', '?page=999999');
			expect(far.result?.list.page).toBe(1);
			expect(far.result?.list.findings).toHaveLength(14);
		});

		it('never shows another team’s findings, whatever the filter', async () => {
			const { result } = await open(as('Bo'), 'alpha', '?q=b1');
			expect(result?.list.total).toBe(0);
		});
	});

	describe('dismissing', () => {
		it('dismisses with a reason, audited, and takes it back', async () => {
			const id = fx.id('alpha', 'a5');
			const done = await submit(
				'dismiss',
				as('Bo'),
				{ findingId: id, reason: 'Test code only' },
				'alpha',
				'?severity=medium'
			);
			expect(done.redirect).toBe(`/teams/alpha/findings?severity=medium&dismissed=${id}`);
			const page = await open(as('Bo'), 'alpha', `?severity=medium&dismissed=${id}`);
			expect(page.result?.dismissed).toMatchObject({ id, ruleId: 'rule/a5' });
			expect(page.result?.figures.views.dismissed).toBe(2);
			// The security team reads the reason, and who gave it.
			const seen = await open(as('Gus', 'security'), 'alpha', '?state=dismissed');
			expect(seen.result?.list.findings.find((f) => f.id === id)?.dismissed).toMatchObject({
				by: 'Bo',
				reason: 'Test code only'
			});
			const [entry] = rowsOf<{
				action: string;
				actor_id: string;
				team_id: string;
				detail: { reason: string };
			}>(
				await t.db.execute(
					sql`select * from audit_log where target_id = ${id} order by id desc limit 1`
				)
			);
			expect(entry).toMatchObject({
				action: 'finding.dismissed',
				actor_id: as('Bo').id,
				team_id: t.org.team('alpha')
			});
			expect(entry!.detail.reason).toBe('Test code only');

			const undone = await submit(
				'restore',
				as('Bo'),
				{ findingId: id },
				'alpha',
				`?severity=medium&dismissed=${id}`
			);
			expect(undone.redirect).toBe(`/teams/alpha/findings?severity=medium#finding-${id}`);
			expect((await open(as('Bo'))).result?.figures.views.dismissed).toBe(1);
		});

		it.each([
			[
				'another team’s finding through one’s own team',
				['Ann'] as Who,
				'alpha',
				() => fx.id('beta', 'b1')
			],
			[
				'another team’s finding through that team',
				['Ann'] as Who,
				'beta',
				() => fx.id('beta', 'b1')
			],
			['a finding id that is no id', ['Ann'] as Who, 'alpha', () => 'not-an-id'],
			['an unknown finding', ['Ann'] as Who, 'alpha', () => '00000000-0000-4000-8000-000000000000']
		])('%s: 404, nothing changed', async (_what, user, slug, id) => {
			const before = await snapshot();
			for (const action of ['dismiss', 'restore'] as const)
				expect(
					await submit(action, who(user), { findingId: id(), reason: 'Not ours' }, slug)
				).toMatchObject({ status: 404 });
			expect(await snapshot()).toEqual(before);
		});

		it.each([
			['the security team', ['Gus', 'security'] as Who],
			['leadership', ['Gus', 'leadership'] as Who],
			['an admin outside the team', ['Admin', 'admin'] as Who]
		])('%s may not dismiss for the team: 403, nothing changed', async (_who, user) => {
			const before = await snapshot();
			const form = { findingId: fx.id('alpha', 'a6'), reason: 'Looks fine' };
			expect(await submit('dismiss', who(user), form)).toMatchObject({ status: 403 });
			expect(await submit('restore', who(user), { findingId: fx.id('alpha', 'a4') })).toMatchObject(
				{
					status: 403
				}
			);
			expect(await snapshot()).toEqual(before);
		});

		it.each([
			['a control character', 'False\u0007 positive', /control character U\+0007/],
			['a NUL', 'False\u0000 positive', /NUL/],
			['no reason', '  ', /Say why/],
			['a reason of 1,001 characters', 'x'.repeat(1001), /1,000/]
		])(
			'refuses %s in the reason beside the field, nothing changed',
			async (_what, reason, message) => {
				const before = await snapshot();
				const { result } = await submit('dismiss', as('Bo'), {
					findingId: fx.id('alpha', 'a6'),
					reason
				});
				expect(result).toMatchObject({
					status: 400,
					data: { action: 'dismiss', target: fx.id('alpha', 'a6') }
				});
				expect((result as { data: { errors: Record<string, string> } }).data.errors.reason).toMatch(
					message
				);
				expect(await snapshot()).toEqual(before);
			}
		);

		it('says so when the finding was dismissed already, and changes nothing', async () => {
			const before = await snapshot();
			const { result } = await submit('dismiss', as('Bo'), {
				findingId: fx.id('alpha', 'a4'),
				reason: 'Twice'
			});
			expect(result).toMatchObject({ status: 409 });
			expect(await snapshot()).toEqual(before);
		});
	});

	describe('the CSV export', () => {
		const download = async (user: SessionUser, search = '') => {
			const res = await csv(event(user, 'alpha', search) as never);
			return { res, text: await res.text() };
		};

		it('holds the list as filtered, every row, with spreadsheet formulas defused', async () => {
			const id = fx.id('alpha', 'x1');
			const [before] = rowsOf<{ message: string; rule_name: string }>(
				await t.db.execute(sql`select message, rule_name from finding where id = ${id}`)
			);
			await t.db.execute(
				sql`update finding set message = '=HYPERLINK("https://evil.example","x")', rule_name = '+cmd|'' /C calc''!A0' where id = ${id}`
			);
			try {
				const { res, text } = await download(as('Gus', 'leadership'), '?severity=low');
				expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
				expect(res.headers.get('content-disposition')).toMatch(
					/^attachment; filename="rampart-alpha-findings-open-\d{4}-\d{2}-\d{2}\.csv"$/
				);
				const lines = text.trimEnd().split('\r\n');
				expect(lines[0]).toBe(
					'severity,state,repository,tool,category,rule_id,rule_name,message,path,start_line,end_line,first_seen,last_seen,fixed,suppressed,suppression_justification,dismissed,dismissed_by,dismissed_reason'
				);
				// The four open low findings (a6, w3, x1, x2), as the page counts them.
				const page = await open(as('Gus', 'leadership'), 'alpha', '?severity=low');
				expect(lines).toHaveLength(1 + page.result!.list.total);
				const x1 = lines.find((l) => l.includes('rule/x1'))!;
				expect(x1).toContain(`"'=HYPERLINK(""https://evil.example"",""x"")"`);
				expect(x1).toContain(`,'+cmd|' /C calc'!A0,`);
				expect(x1).not.toMatch(/,=|,\+/);
			} finally {
				await t.db.execute(
					sql`update finding set message = ${before!.message}, rule_name = ${before!.rule_name} where id = ${id}`
				);
			}
		});

		it('exports fixed and dismissed findings with who dismissed them and why', async () => {
			const { text } = await download(as('Bo'), '?state=fixed');
			const w2 = text.split('\r\n').find((l) => l.includes('rule/w2'))!;
			expect(w2).toMatch(/^high,fixed,payments\/web,Semgrep OSS,,rule\/w2,/);
			expect(w2).toContain(',Ann,Accepted risk');
		});
	});

	describe('hostile text from a pipeline', () => {
		it('reaches the page as text: no script, no script link, no image, no link outside the repository', async () => {
			const data = (await open(as('Bo'), 'alpha', '?state=open')).result!;
			const html = render(Page, { props: { data, form: null } as never }).body;
			expect(html).not.toMatch(/<script|<img|href="(?:javascript|data):|<[^>]*onerror/i);
			expect(html).toContain('Tainted &lt;script>alert("message")&lt;/script>');
			expect(html).toContain(`src/&lt;script>alert("path")&lt;/script>.ts:7`);
			// Only payments/api has a web address; a path outside it is not a link either.
			expect(html).toContain(
				'href="https://git.example.com/payments/api/blob/main/src/a%20b%23%3F%25.ts#L7"'
			);
			expect(html).toContain('(git.example.com)');
			expect(html).not.toContain('etc/passwd#');
			expect(html).toContain('<code>../../etc/passwd:7</code>');
			// Each rule's help once, behind a disclosure, its link refused, its image reduced to its words.
			expect(html).toMatch(/<details class="help[^"]*">\s*<summary[^>]*>Rule w1<\/summary>/);
			expect(html.match(/<summary[^>]*>Rule a1<\/summary>/g)).toHaveLength(1);
			expect(html).toMatch(/<a href="#help-\d+"[^>]*>How to fix/);
			expect(html).toContain('tracker');
			expect(hostile.help).toContain('![tracker]');
		});
	});
});
