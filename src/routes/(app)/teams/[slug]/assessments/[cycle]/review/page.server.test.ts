import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import * as table from '$lib/server/db/schema';
import type { GlobalRole } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { recomputeScores } from '$lib/server/assessments/scores-store';
import { loadModel } from '$lib/server/model/load-model';
import { criteriaOf } from '$lib/server/model/criteria';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { CycleName, TeamSlug } from '$lib/server/testing/organisation';
import type { ReviewView } from '$lib/server/assessments/review-diff';
import { actions, load } from './+page.server';
import { actions as questionActions, load as questionsLoad } from '../questions/+page.server';
import { load as phaseLoad } from '../[phase]/+page.server';
import { load as overviewLoad } from '../+page.server';

/*
 * The reviewer's workspace and the questions routes, called as SvelteKit calls them, with
 * crafted forms. Alpha's 2026-Q2 (submitted) is compared with its 2026-Q1 (approved); Beta's
 * answers and Delta's returned 2026-Q1 must not show up in it.
 */
describe("the reviewer's workspace and questions, through the routes", () => {
	const t = testOrganisation();
	const model = loadModel();
	const practice = model.practices[0]!;
	const [c0, c1, c2, c3, c4] = criteriaOf([practice]).map((c) => c.id);
	const phase = practice.phase;
	const users: Record<string, SessionUser> = {};
	const cycle = '2026-Q2';

	const assessmentOf = (team: TeamSlug, name: CycleName) =>
		t.org.assessments.find((a) => a.teamId === t.org.team(team) && a.cycleId === t.org.cycle(name))!
			.id;
	const user = async (name: string, role: GlobalRole, team?: TeamSlug) => {
		const [u] = await t.db
			.insert(table.user)
			.values({ email: `${name.toLowerCase()}@route.example`, name, passwordHash: 'x', role })
			.returning();
		if (team)
			await t.db.insert(table.teamMember).values({ teamId: t.org.team(team), userId: u!.id });
		users[name] = { id: u!.id, email: u!.email, name: u!.name, role: u!.role };
	};
	const member = async (name: 'Ann' | 'Bo' | 'Gus') => {
		const [u] = await t.db
			.select()
			.from(table.user)
			.where(eq(table.user.id, t.org.user(name)));
		return { id: u!.id, email: u!.email, name: u!.name, role: u!.role };
	};
	const event = (
		who: SessionUser,
		opts: {
			slug?: string;
			path?: string;
			search?: string;
			form?: Record<string, string>;
			phase?: string;
		} = {}
	) => {
		const slug = opts.slug ?? 'alpha';
		const url = new URL(
			`http://127.0.0.1/teams/${slug}/assessments/${cycle}${opts.path ?? '/review'}${opts.search ?? ''}`
		);
		const body = new FormData();
		for (const [k, v] of Object.entries(opts.form ?? {})) body.append(k, v);
		return {
			locals: { db: t.db, user: who, session: null, ip: '203.0.113.5' },
			params: { slug, cycle, ...(opts.phase ? { phase: opts.phase } : {}) },
			url,
			route: { id: null },
			request: new Request(url, { method: 'POST', body }),
			setHeaders() {},
			depends() {},
			parent: async () => ({})
		} as never;
	};
	const outcome = async (run: () => unknown) => {
		try {
			return { result: await run() };
		} catch (e) {
			if (isHttpError(e)) return { status: e.status, message: e.body.message };
			if (isRedirect(e)) return { redirect: e.location };
			throw e;
		}
	};
	/** Every row a question write or a review could touch, as text. */
	const snapshot = async () =>
		(
			await Promise.all([
				t.db.select().from(table.reviewQuestion),
				t.db.select().from(table.questionMessage),
				t.db.select().from(table.auditLog),
				t.db.select().from(table.assessment)
			])
		).map((rows) => rows.map((r) => JSON.stringify(r)).sort());

	type Row = { value: number | null; comment?: string; evidence?: string[]; by?: 'Bo' };
	const answers: Record<string, Record<string, Row>> = {};
	const put = async (team: TeamSlug, name: CycleName, rows: Record<string, Row>) => {
		const id = assessmentOf(team, name);
		answers[id] = rows;
		await t.db.insert(table.answer).values(
			Object.entries(rows).map(([criterionId, r]) => ({
				assessmentId: id,
				criterionId,
				value: r.value,
				comment: r.comment ?? '',
				evidence: r.evidence ?? [],
				updatedBy: r.by ? t.org.user(r.by) : null
			}))
		);
		await recomputeScores(t.db, model, id);
	};

	beforeAll(async () => {
		await user('Sec', 'security');
		await user('Insider', 'security', 'alpha');
		await user('Cto', 'leadership');
		users.Ann = await member('Ann');
		users.Bo = await member('Bo');
		users.Gus = await member('Gus');
		users.Admin = { ...(await member('Ann')), id: t.org.adminId, role: 'admin', name: 'Admin' };
		await put('alpha', '2026-Q1', {
			[c0!]: { value: 0.5, evidence: ['https://wiki.example/sast'] },
			[c1!]: { value: 1 },
			[c2!]: { value: 0, comment: 'none yet' },
			[c4!]: { value: 0.5, comment: 'same' }
		});
		await put('alpha', '2026-Q2', {
			[c0!]: { value: 1, evidence: ['https://jira.example/SEC-1'], by: 'Bo' },
			[c1!]: { value: 1 },
			[c2!]: { value: 0, comment: 'started', by: 'Bo' },
			[c3!]: { value: 0.25, by: 'Bo' },
			// Stored differently, read the same: a space after the comment is no change.
			[c4!]: { value: 0.5, comment: 'same ', by: 'Bo' }
		});
		// Another team, all "all": none of it belongs in Alpha's workspace.
		await put('beta', '2026-Q2', { [c0!]: { value: 1 }, [c1!]: { value: 0 }, [c3!]: { value: 1 } });
		await put('delta', '2026-Q1', { [c0!]: { value: 1 } });
	});

	/** Criteria whose stored answer differs between two assessments, counted here without the diff module. */
	const changedBetween = (now: string, then: string) => {
		const ids = new Set([...Object.keys(answers[now] ?? {}), ...Object.keys(answers[then] ?? {})]);
		const norm = (r?: Row) =>
			JSON.stringify([r?.value ?? null, (r?.comment ?? '').trim(), r?.evidence ?? []]);
		return [...ids].filter((id) => norm(answers[now]?.[id]) !== norm(answers[then]?.[id])).sort();
	};

	it('shows a reviewer what changed since the last approved cycle, with evidence hosts, who and the moved practice', async () => {
		const { result } = await outcome(() => load(event(users.Sec!, { search: '?show=all' })));
		const data = result as {
			baseline: { cycle: string } | null;
			view: ReviewView;
			canAsk: boolean;
			canReview: boolean;
		};
		expect(data.baseline).toEqual({ cycle: '2026-Q1' });
		const alpha2 = assessmentOf('alpha', '2026-Q2');
		const expected = changedBetween(alpha2, assessmentOf('alpha', '2026-Q1'));
		expect(expected).toEqual([c0, c2, c3].sort());
		expect(data.view.changedCriteria).toBe(expected.length);
		const shown = data.view.phases.flatMap((p) => p.practices.flatMap((x) => x.criteria));
		expect(shown).toHaveLength(data.view.totalCriteria);
		const first = shown.find((c) => c.id === c0)!;
		expect(first).toMatchObject({
			before: { value: 0.5 },
			now: { value: 1, evidence: ['https://jira.example/SEC-1'], updatedBy: 'Bo' },
			removedEvidence: ['https://wiki.example/sast']
		});
		// The moved practice, against the stored practice scores of both assessments.
		const stored = await t.db
			.select({ id: table.assessmentPractice.assessmentId, score: table.assessmentPractice.score })
			.from(table.assessmentPractice)
			.where(eq(table.assessmentPractice.practiceId, practice.id));
		const score = (id: string) => stored.find((s) => s.id === id)?.score ?? 0;
		expect(data.view.moved).toEqual([
			expect.objectContaining({
				practiceId: practice.id,
				before: score(assessmentOf('alpha', '2026-Q1')),
				after: score(alpha2)
			})
		]);
		expect(data.canAsk).toBe(true);
		expect(data.canReview).toBe(true);

		const filtered = (await load(event(users.Sec!, { search: `?phase=${phase}` }))) as typeof data;
		expect(filtered.view.phases.map((p) => p.id)).toEqual([phase]);
		expect(
			filtered.view.phases
				.flatMap((p) => p.practices.flatMap((x) => x.criteria.map((c) => c.id)))
				.sort()
		).toEqual(expected);
	});

	it('compares with nothing when the team has no approved assessment before (a returned one does not count)', async () => {
		const data = (await load(event(users.Sec!, { slug: 'delta' }))) as {
			baseline: unknown;
			view: { moved: unknown[] };
		};
		expect(data.baseline).toBeNull();
		expect(data.view.moved).toEqual([]);
	});

	it('lets only reviewers in: 404 for another team’s member, 403 for the team, leadership and a reviewer in the team; 400 for an unknown phase', async () => {
		expect(await outcome(() => load(event(users.Gus!)))).toMatchObject({ status: 404 });
		expect(await outcome(() => load(event(users.Ann!)))).toMatchObject({ status: 403 });
		expect(await outcome(() => load(event(users.Cto!)))).toMatchObject({ status: 403 });
		expect(await outcome(() => load(event(users.Insider!)))).toMatchObject({
			status: 403,
			message: expect.stringMatching(/separation of duties/)
		});
		expect(await outcome(() => load(event(users.Admin!)))).toHaveProperty('result');
		for (const search of ['?phase=nope', '?show=some'])
			expect(await outcome(() => load(event(users.Sec!, { search })))).toMatchObject({
				status: 400
			});
	});

	let question = '';

	it('takes a question from a reviewer and refuses crafted ones, storing nothing', async () => {
		const before = await snapshot();
		const ask = (who: SessionUser, form: Record<string, string>, slug = 'alpha') =>
			outcome(() => actions.ask!(event(who, { slug, form })));
		expect(await ask(users.Ann!, { criterionId: c0!, body: 'Self-serve?' })).toMatchObject({
			status: 403
		});
		expect(await ask(users.Insider!, { criterionId: c0!, body: 'Mine?' })).toMatchObject({
			status: 403
		});
		expect(await ask(users.Gus!, { criterionId: c0!, body: 'Theirs?' })).toMatchObject({
			status: 404
		});
		const bad = [
			[{ criterionId: c0!, body: '' }, 'body', /empty/],
			[{ criterionId: c0!, body: 'a\u0000b' }, 'body', /NUL/],
			[{ criterionId: c0!, body: 'x'.repeat(2001) }, 'body', /2,000/],
			[{ criterionId: 'made-up.1.a', body: 'Why?' }, 'form', /Unknown criterion/]
		] as const;
		for (const [form, field, message] of bad) {
			const { result } = await ask(users.Sec!, form);
			expect(result).toMatchObject({
				status: 400,
				data: { action: 'ask', errors: { [field]: expect.stringMatching(message) } }
			});
		}
		expect(await snapshot()).toEqual(before);

		const { result } = await ask(users.Sec!, {
			criterionId: c0!,
			body: 'Is SEC-1 the SAST rollout?'
		});
		expect(result).toMatchObject({ action: 'ask', target: c0 });
		const [stored] = await t.db
			.select()
			.from(table.reviewQuestion)
			.where(eq(table.reviewQuestion.criterionId, c0!));
		question = stored!.id;
		expect(stored).toMatchObject({
			assessmentId: assessmentOf('alpha', '2026-Q2'),
			status: 'open'
		});
	});

	it('refuses approval while the question is open, with the message, on the workspace and the assessment page', async () => {
		const before = await snapshot();
		for (const run of [actions.review!, (await import('../+page.server')).actions.review!]) {
			const { result } = await outcome(() =>
				run(event(users.Sec!, { form: { decision: 'approve', comment: '' } }))
			);
			expect(result).toMatchObject({
				status: 400,
				data: { errors: { form: expect.stringMatching(/1 open question/) } }
			});
		}
		expect(await snapshot()).toEqual(before);
		// The assessment page lists it, linked to its criterion; the team's phase page shows the thread.
		const overview = (await overviewLoad(event(users.Ann!, { path: '' }))) as {
			questions: { open: { id: string; phase: string }[]; workspace: boolean };
		};
		expect(overview.questions.open).toEqual([expect.objectContaining({ id: question, phase })]);
		expect(overview.questions.workspace).toBe(false);
		const forReviewer = (await overviewLoad(event(users.Sec!, { path: '' }))) as typeof overview;
		expect(forReviewer.questions.workspace).toBe(true);
		const page = (await phaseLoad(event(users.Bo!, { path: `/${phase}`, phase }))) as {
			questions: { threads: Record<string, { id: string }[]>; canReply: boolean };
		};
		expect(page.questions.threads[c0!]!.map((q) => q.id)).toEqual([question]);
		expect(page.questions.canReply).toBe(true);
		const reviewerView = (await phaseLoad(
			event(users.Sec!, { path: `/${phase}`, phase })
		)) as typeof page;
		expect(reviewerView.questions.canReply).toBe(false);
	});

	it('takes the team’s answer only from a member, for a question of this assessment, then approval goes through', async () => {
		const reply = (who: SessionUser, form: Record<string, string>, slug = 'alpha') =>
			outcome(() => questionActions.reply!(event(who, { slug, path: '/questions', form })));
		const before = await snapshot();
		expect(
			await reply(users.Admin!, { questionId: question, body: 'On their behalf' })
		).toMatchObject({ status: 403 });
		expect(
			await reply(users.Sec!, { questionId: question, body: 'Answering myself' })
		).toMatchObject({ status: 403 });
		expect(await reply(users.Gus!, { questionId: question, body: 'Not my team' })).toMatchObject({
			status: 404
		});
		// Delta's lead, through his own team's address, with Alpha's question.
		const crossed = await reply(users.Gus!, { questionId: question, body: 'Sneaky' }, 'delta');
		expect(crossed).toMatchObject({
			result: {
				status: 400,
				data: { errors: { form: expect.stringMatching(/not one of this assessment/) } }
			}
		});
		expect(
			(await reply(users.Bo!, { questionId: question, [`body:${question}`]: '\u0007' })).result
		).toMatchObject({
			status: 400,
			data: { target: question, errors: { body: expect.stringMatching(/control character/) } }
		});
		expect(
			(await reply(users.Bo!, { questionId: 'not-an-id', body: 'Hello' })).result
		).toMatchObject({ status: 400 });
		expect(await snapshot()).toEqual(before);

		// From the phase page's shared form: the box named after the question, and back to the criterion.
		expect(
			await reply(users.Bo!, {
				questionId: question,
				[`body:${question}`]: 'Yes, SEC-1 tracks it.',
				phase
			})
		).toEqual({
			redirect: `/teams/alpha/assessments/${cycle}/${phase}#question-${question}`
		});
		const stored = await snapshot();
		expect(
			await reply(users.Bo!, { questionId: question, body: 'Elsewhere', phase: '../../admin' })
		).toMatchObject({ status: 400 });
		expect(await snapshot()).toEqual(stored);
		expect(
			(await reply(users.Bo!, { questionId: question, body: 'More detail' })).result
		).toMatchObject({ action: 'reply', target: question });
		const threads = (await questionsLoad(event(users.Sec!, { path: '/questions' }))) as {
			threads: { status: string; messages: { body: string; fromTeam: boolean }[] }[];
		};
		expect(threads.threads[0]).toMatchObject({
			status: 'answered',
			messages: [
				{ fromTeam: false },
				{ body: 'Yes, SEC-1 tracks it.', fromTeam: true },
				{ body: 'More detail' }
			]
		});
		const { result } = await outcome(() =>
			actions.review!(event(users.Sec!, { form: { decision: 'approve', comment: '' } }))
		);
		expect(result).toEqual({ action: 'review', notice: 'Approved.' });
	});
});
