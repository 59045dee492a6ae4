import { isHttpError, isRedirect } from '@sveltejs/kit';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import type { GlobalRole } from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import type { SessionUser } from '$lib/server/auth/session';
import { getModel } from '$lib/server/model/load-model';
import { createPlanItem } from '$lib/server/plan/items';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { PersonName } from '$lib/server/testing/organisation';
import { actions, load } from './+page.server';
import { load as teamPageLoad } from '../+page.server';
import type { PageServerData } from './$types';

type Fields = Record<string, string>;
const FUTURE = '2099-01-31';

describe('the plan page and its forms', () => {
	const t = testOrganisation();
	const as = (name: PersonName, role: GlobalRole = 'member'): SessionUser => {
		const u = t.org.users.find((x) => x.name === name)!;
		return { id: u.id, email: u.email, name: u.name, role };
	};
	const event = (user: SessionUser, slug: string, search = '', form?: Fields) => {
		const url = new URL(`http://127.0.0.1/teams/${slug}/plan${search}`);
		const body = new FormData();
		for (const [k, v] of Object.entries(form ?? {})) body.append(k, v);
		return {
			locals: { db: t.db, user, session: null, ip: '203.0.113.9' },
			params: { slug },
			url,
			route: { id: '/(app)/teams/[slug]/plan' },
			request: new Request(url, { method: 'POST', body })
		} as never;
	};
	const open = async (user: SessionUser, slug = 'alpha', search = '') =>
		(await load(event(user, slug, search))) as PageServerData;
	/** What an action answers: its return value, or the redirect or error it throws. */
	const submit = async (
		name: keyof typeof actions,
		user: SessionUser,
		form: Fields,
		slug = 'alpha'
	) => {
		try {
			return { result: (await actions[name]!(event(user, slug, '', form))) as never };
		} catch (e) {
			if (isRedirect(e)) return { redirect: e.location };
			if (isHttpError(e)) return { status: e.status };
			throw e;
		}
	};
	const snapshot = async () => ({
		items: rowsOf(await t.db.execute(sql`select * from plan_item order by id`)).map((r) =>
			JSON.stringify(r)
		),
		audit: rowsOf(await t.db.execute(sql`select count(*)::int as n from audit_log`))
	});
	let alphaItem: string;
	let betaItem: string;
	const good = (): Fields => ({
		practiceId: 'threat-modeling',
		criterionId: 'threat-modeling.1.a',
		action: 'Run a threat modeling session',
		ownerId: as('Bo').id,
		dueOn: FUTURE,
		source: 'next_step',
		questionId: ''
	});

	beforeAll(async () => {
		const model = getModel();
		const made = await createPlanItem(
			t.db,
			{ actorId: as('Ann').id, ip: '' },
			model,
			t.org.team('alpha'),
			{
				...good(),
				criterionId: 'threat-modeling.1.a',
				source: 'next_step',
				questionId: null
			} as never
		);
		const theirs = await createPlanItem(
			t.db,
			{ actorId: as('Cy').id, ip: '' },
			model,
			t.org.team('beta'),
			{
				...good(),
				ownerId: as('Cy').id,
				criterionId: null,
				source: 'manual',
				questionId: null
			} as never
		);
		if (!made.ok || !theirs.ok) throw new Error('setting up the plans failed');
		alphaItem = made.id;
		betaItem = theirs.id;
	});

	describe('who sees and who changes a plan (policy through the route)', () => {
		const cases: [string, () => SessionUser, 'edit' | 'read' | 404][] = [
			['a member of the team', () => as('Bo'), 'edit'],
			['the lead of the team', () => as('Ann'), 'edit'],
			['an admin outside the team', () => as('Admin', 'admin'), 'edit'],
			['the security team', () => as('Eve', 'security'), 'read'],
			['leadership', () => as('Gus', 'leadership'), 'read'],
			['a member of another team', () => as('Cy'), 404]
		];
		for (const [who, user, expected] of cases) {
			it(`${who}: ${expected === 404 ? 'not found' : expected === 'edit' ? 'sees and edits' : 'reads only'}`, async () => {
				if (expected === 404) {
					await expect(open(user())).rejects.toMatchObject({ status: 404 });
					expect(await submit('create', user(), good())).toEqual({ status: 404 });
					return;
				}
				const page = await open(user());
				expect(page.groups.flatMap((g) => g.items.map((i) => i.id))).toEqual([alphaItem]);
				expect(page.canEdit).toBe(expected === 'edit');
				if (expected === 'read') {
					// No forms, and nothing the forms need (members, suggestions, questions) is sent.
					expect(page.owners).toEqual([]);
					expect(page.draft).toBeNull();
					const before = await snapshot();
					expect(await submit('create', user(), good())).toEqual({ status: 403 });
					expect(
						await submit('setStatus', user(), {
							itemId: alphaItem,
							status: 'done',
							baseVersion: '1'
						})
					).toEqual({ status: 403 });
					expect(await snapshot()).toEqual(before);
				} else {
					expect(page.owners.map((o) => o.name).sort()).toEqual(['Ann', 'Bo']);
				}
			});
		}
	});

	describe('bad input from the attacker’s side: a message beside the field, nothing stored', () => {
		const cases: [string, Fields, string, RegExp][] = [
			['an owner outside the team', { ownerId: '' }, 'ownerId', /member of the team/],
			['an owner of another team', { ownerId: 'Cy' }, 'ownerId', /member of this team/],
			['a due date in the past', { dueOn: '2020-01-01' }, 'dueOn', /cannot be in the past/],
			[
				'an unknown practice',
				{ practiceId: 'made-up', criterionId: '' },
				'practiceId',
				/Choose a practice/
			],
			[
				'an unknown criterion',
				{ criterionId: 'threat-modeling.9.z' },
				'criterionId',
				/criterion of this practice/
			],
			['an empty action', { action: '  ' }, 'action', /Say what will be done/],
			['an overlong action', { action: 'x'.repeat(501) }, 'action', /at most 500/],
			['a NUL in the action', { action: 'x\u0000' }, 'action', /NUL/],
			[
				'a question of no one',
				{ source: 'question', questionId: crypto.randomUUID() },
				'questionId',
				/question asked on this team/
			]
		];
		for (const [what, change, field, message] of cases) {
			it(what, async () => {
				const before = await snapshot();
				const fields = { ...good(), ...change };
				if (change.ownerId === 'Cy') fields.ownerId = as('Cy').id;
				const answer = await submit('create', as('Ann'), fields);
				expect(answer.result).toMatchObject({ status: 400, data: { action: 'create' } });
				const errors = (answer.result as unknown as { data: { errors: Record<string, string> } })
					.data.errors;
				expect(errors[field]).toMatch(message);
				expect(await snapshot()).toEqual(before);
			});
		}

		it("another team's item id, or one that is not an id, is not found", async () => {
			const before = await snapshot();
			const edit = { action: 'Mine now', ownerId: as('Bo').id, dueOn: FUTURE, baseVersion: '1' };
			for (const itemId of [betaItem, 'not-an-id', crypto.randomUUID()]) {
				expect(await submit('edit', as('Ann'), { ...edit, itemId })).toEqual({ status: 404 });
				expect(
					await submit('setStatus', as('Ann'), { itemId, status: 'dropped', baseVersion: '1' })
				).toEqual({ status: 404 });
			}
			expect(await snapshot()).toEqual(before);
		});
	});

	it('adds an item and comes back to it; a stale edit is refused with what is stored', async () => {
		const added = await submit('create', as('Bo'), {
			...good(),
			criterionId: '',
			source: 'target'
		});
		const id = /saved=([0-9a-f-]{36})/.exec(added.redirect ?? '')?.[1];
		expect(added.redirect).toBe(`/teams/alpha/plan?saved=${id}#item-${id}`);
		const page = await open(as('Bo'), 'alpha', `?saved=${id}`);
		expect(page.saved).toEqual({ id, action: good().action, status: 'planned' });

		const edit = {
			itemId: id!,
			action: 'Reach level 1',
			ownerId: as('Ann').id,
			dueOn: FUTURE,
			baseVersion: '1'
		};
		expect((await submit('edit', as('Bo'), edit)).redirect).toBe(
			`/teams/alpha/plan?saved=${id}#item-${id}`
		);
		const before = await snapshot();
		const stale = await submit('edit', as('Ann'), { ...edit, action: 'Something else' });
		expect(stale.result).toMatchObject({
			status: 409,
			data: {
				action: 'edit',
				target: id,
				errors: { form: expect.stringMatching(/^Bo changed this item/) },
				current: { action: 'Reach level 1', ownerId: as('Ann').id, version: 2 }
			}
		});
		expect(await snapshot()).toEqual(before);
		const done = await submit('setStatus', as('Ann'), {
			itemId: id!,
			status: 'done',
			baseVersion: '2'
		});
		expect(done.redirect).toBe(`/teams/alpha/plan?saved=${id}#item-${id}`);
		const [row] = await t.db.select().from(table.planItem).where(eq(table.planItem.id, id!));
		expect(row).toMatchObject({ status: 'done', version: 3 });
		expect(row!.closedAt).toBeInstanceOf(Date);
		// Open items by default; the done one under "done" and "all".
		expect((await open(as('Ann'))).counts).toMatchObject({ open: 1, done: 1, all: 2 });
		const doneList = await open(as('Ann'), 'alpha', '?status=done');
		expect(doneList.groups.flatMap((g) => g.items.map((i) => i.id))).toEqual([id]);
	});

	it("puts the team's open and overdue items on the team page, counted as stored", async () => {
		await t.db.insert(table.planItem).values({
			teamId: t.org.team('alpha'),
			practiceId: 'code-review',
			action: 'Late already',
			ownerId: as('Bo').id,
			dueOn: '2020-01-01'
		});
		const open = await t.db
			.select({ dueOn: table.planItem.dueOn })
			.from(table.planItem)
			.where(
				and(
					eq(table.planItem.teamId, t.org.team('alpha')),
					inArray(table.planItem.status, ['planned', 'in_progress'])
				)
			);
		const today = new Date().toISOString().slice(0, 10);
		for (const [user, canEdit] of [
			[as('Bo'), true],
			[as('Gus', 'leadership'), false]
		] as const) {
			const page = (await teamPageLoad(event(user, 'alpha'))) as unknown as {
				plan: { open: number; overdue: number; canEdit: boolean; items: { action: string }[] };
			};
			expect(page.plan).toMatchObject({
				open: open.length,
				overdue: open.filter((i) => i.dueOn < today).length,
				canEdit
			});
			expect(page.plan.items[0]!.action).toBe('Late already');
		}
		expect(open.length).toBeGreaterThan(1);
	});

	it('starts a new item from a next step, a target or a question link', async () => {
		const page = await open(
			as('Ann'),
			'alpha',
			'?practice=code-review&criterion=code-review.1.a&source=next_step'
		);
		expect(page.draft).toMatchObject({
			practiceId: 'code-review',
			criterionId: 'code-review.1.a',
			source: 'next_step'
		});
		// A draft never reaches those who cannot use it.
		const read = await open(as('Eve', 'security'), 'alpha', '?practice=code-review');
		expect(read.draft).toBeNull();
	});
});
