import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import type { AssessmentStatus, GlobalRole } from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { CycleName, TeamSlug } from '$lib/server/testing/organisation';
import { answerQuestion, askQuestion, followUpQuestion, withdrawQuestion } from './questions';
import { loadThreads, openQuestionCount } from './question-threads';
import { transitionAssessment } from './review';

/*
 * Questions on a criterion, tried from the attacker's side: every refusal says why and leaves
 * the questions, their messages, the assessments and the audit log exactly as they were.
 * The test organisation: Alpha (Ann lead, Bo) 2026-Q2 submitted, Q1 approved; Delta (Gus)
 * Q1 returned, Q2 submitted; Beta Q2 approved; Gamma (Fay, Bo) Q2 draft.
 */
describe('questions on a criterion', () => {
	const t = testOrganisation();
	const model = loadModel();
	const criterionId = model.practices[0]!.levels[0]!.criteria[0]!.id;
	const people: Record<string, { id: string; role: GlobalRole }> = {};

	const person = async (name: string, role: GlobalRole, team?: TeamSlug) => {
		const [u] = await t.db
			.insert(table.user)
			.values({ email: `${name.toLowerCase()}@sec.example`, name, passwordHash: 'x', role })
			.returning({ id: table.user.id });
		if (team)
			await t.db.insert(table.teamMember).values({ teamId: t.org.team(team), userId: u!.id });
		people[name] = { id: u!.id, role };
	};
	const actor = (name: string) => {
		if (people[name]) return people[name];
		const id = t.org.user(name as never);
		return { id, role: (name === 'Admin' ? 'admin' : 'member') as GlobalRole };
	};
	const ctx = (name: string) => ({
		actor: actor(name),
		actorId: actor(name).id,
		ip: '203.0.113.9'
	});
	const assessmentOf = (team: TeamSlug, cycle: CycleName) =>
		t.org.assessments.find(
			(a) => a.teamId === t.org.team(team) && a.cycleId === t.org.cycle(cycle)
		)!.id;
	const setStatus = (team: TeamSlug, cycle: CycleName, status: AssessmentStatus) =>
		t.db
			.update(table.assessment)
			.set({ status })
			.where(eq(table.assessment.id, assessmentOf(team, cycle)));

	/** Every row that a question write could touch, as text. */
	const snapshot = async () => {
		const rows = await Promise.all([
			t.db.select().from(table.reviewQuestion),
			t.db.select().from(table.questionMessage),
			t.db.select().from(table.auditLog),
			t.db.select().from(table.assessment)
		]);
		return rows.map((r) => r.map((x) => JSON.stringify(x)).sort());
	};
	const ask = (
		who: string,
		assessmentId: string,
		body = 'Which repos does this cover?',
		c = criterionId
	) => askQuestion(t.db, ctx(who), model, { assessmentId, criterionId: c, body });

	let alphaQ2 = '';
	let deltaQ2 = '';
	let question = '';

	beforeAll(async () => {
		await person('Sec', 'security');
		await person('Insider', 'security', 'alpha');
		await person('Cto', 'leadership');
		alphaQ2 = assessmentOf('alpha', '2026-Q2');
		deltaQ2 = assessmentOf('delta', '2026-Q2');
	});

	it('lets a reviewer outside the team ask on a submitted assessment: an open question, its first message, one audit entry', async () => {
		const result = await ask('Sec', alphaQ2, '  Which repos does SAST cover?  ');
		expect(result.ok).toBe(true);
		question = (result as { questionId: string }).questionId;
		const [thread] = await loadThreads(t.db, { id: alphaQ2, teamId: t.org.team('alpha') });
		expect(thread).toMatchObject({ id: question, criterionId, status: 'open' });
		expect(thread!.messages).toMatchObject([
			{ author: 'Sec', fromTeam: false, body: 'Which repos does SAST cover?' }
		]);
		const entries = await t.db
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'question.asked'));
		expect(entries).toMatchObject([
			{
				actorId: people.Sec!.id,
				targetType: 'assessment',
				targetId: alphaQ2,
				teamId: t.org.team('alpha'),
				detail: { questionId: question, criterionId, body: 'Which repos does SAST cover?' }
			}
		]);
		expect(await openQuestionCount(t.db, alphaQ2)).toBe(1);
	});

	it('refuses every bad question and stores nothing', async () => {
		const before = await snapshot();
		const refusals: [Promise<unknown>, object][] = [
			// Not a reviewer: a member of the team, leadership, a member of another team.
			[ask('Ann', alphaQ2), { ok: false, code: 'notReviewer' }],
			[ask('Cto', alphaQ2), { ok: false, code: 'notReviewer' }],
			[ask('Gus', alphaQ2), { ok: false, code: 'notReviewer' }],
			// A reviewer in the team while someone outside it could review (separation of duties).
			[ask('Insider', alphaQ2), { ok: false, code: 'ownTeam' }],
			// Not submitted: approved, draft, returned.
			[ask('Sec', assessmentOf('beta', '2026-Q2')), { ok: false, code: 'notSubmitted' }],
			[ask('Sec', assessmentOf('gamma', '2026-Q2')), { ok: false, code: 'notSubmitted' }],
			[ask('Sec', assessmentOf('delta', '2026-Q1')), { ok: false, code: 'notSubmitted' }],
			// No such criterion or assessment.
			[ask('Sec', alphaQ2, 'x', 'made-up.1.a'), { ok: false, code: 'unknownCriterion' }],
			[ask('Sec', 'not-a-uuid'), { ok: false, code: 'unknownAssessment' }],
			[
				ask('Sec', '00000000-0000-4000-8000-000000000000'),
				{ ok: false, code: 'unknownAssessment' }
			],
			// The shared free-text rule and the length.
			[
				ask('Sec', alphaQ2, ''),
				{ ok: false, code: 'body', message: expect.stringMatching(/empty/) }
			],
			[
				ask('Sec', alphaQ2, ' \n\t '),
				{ ok: false, code: 'body', message: expect.stringMatching(/empty/) }
			],
			[
				ask('Sec', alphaQ2, 'x'.repeat(2001)),
				{ ok: false, code: 'body', message: expect.stringMatching(/2,000/) }
			],
			[
				ask('Sec', alphaQ2, 'Why\u0000?'),
				{ ok: false, code: 'body', message: expect.stringMatching(/NUL/) }
			],
			[
				ask('Sec', alphaQ2, 'Why\u0007?'),
				{ ok: false, code: 'body', message: expect.stringMatching(/control character/) }
			]
		];
		for (const [result, expected] of refusals) expect(await result).toEqual(expected);
		expect(await snapshot()).toEqual(before);
	});

	it('blocks approval while the question is open, with a message, and changes nothing; returning stays possible', async () => {
		const before = await snapshot();
		const approve = await transitionAssessment(
			t.db,
			{ ...ctx('Sec'), teamId: t.org.team('alpha') },
			alphaQ2,
			'approve'
		);
		expect(approve).toMatchObject({
			ok: false,
			field: 'form',
			message: expect.stringMatching(/1 open question/)
		});
		expect(await snapshot()).toEqual(before);
		// Returning with a comment goes through; the question stays open for the team to answer.
		const returned = await transitionAssessment(
			t.db,
			{ ...ctx('Sec'), teamId: t.org.team('alpha') },
			alphaQ2,
			'return',
			'See the question on SAST.'
		);
		expect(returned).toEqual({ ok: true });
		expect(await openQuestionCount(t.db, alphaQ2)).toBe(1);
		await setStatus('alpha', '2026-Q2', 'submitted');
	});

	it('refuses answers from anyone outside the team, and a question of another assessment, storing nothing', async () => {
		const before = await snapshot();
		const reply = (
			who: string,
			assessmentId: string,
			questionId = question,
			body = 'All of them.'
		) => answerQuestion(t.db, ctx(who), { assessmentId, questionId, body });
		const refusals: [Promise<unknown>, object][] = [
			[reply('Gus', alphaQ2), { ok: false, code: 'notMember' }],
			[reply('Admin', alphaQ2), { ok: false, code: 'notMember' }],
			[reply('Sec', alphaQ2), { ok: false, code: 'notMember' }],
			// Delta's lead, through his own submitted assessment, with Alpha's question.
			[reply('Gus', deltaQ2), { ok: false, code: 'unknownQuestion' }],
			[reply('Bo', alphaQ2, 'not-a-uuid'), { ok: false, code: 'unknownQuestion' }],
			[
				reply('Bo', alphaQ2, question, ''),
				{ ok: false, code: 'body', message: expect.any(String) }
			],
			[
				reply('Bo', alphaQ2, question, 'a\u0000'),
				{ ok: false, code: 'body', message: expect.any(String) }
			],
			// Follow-up and withdrawal of Alpha's question through Delta's assessment.
			[
				followUpQuestion(t.db, ctx('Sec'), {
					assessmentId: deltaQ2,
					questionId: question,
					body: 'x'
				}),
				{ ok: false, code: 'unknownQuestion' }
			],
			[
				withdrawQuestion(t.db, ctx('Sec'), { assessmentId: deltaQ2, questionId: question }),
				{ ok: false, code: 'unknownQuestion' }
			],
			// Follow-up and withdrawal by someone without the right.
			[
				followUpQuestion(t.db, ctx('Ann'), {
					assessmentId: alphaQ2,
					questionId: question,
					body: 'x'
				}),
				{ ok: false, code: 'notReviewer' }
			],
			[
				withdrawQuestion(t.db, ctx('Insider'), { assessmentId: alphaQ2, questionId: question }),
				{ ok: false, code: 'ownTeam' }
			]
		];
		for (const [result, expected] of refusals) expect(await result).toEqual(expected);
		expect(await snapshot()).toEqual(before);
	});

	it('lets a member answer (then approval goes through) and the reviewer follow up, which opens it again', async () => {
		expect(
			await answerQuestion(t.db, ctx('Bo'), {
				assessmentId: alphaQ2,
				questionId: question,
				body: 'Every service repo.'
			})
		).toEqual({ ok: true, questionId: question });
		expect(await openQuestionCount(t.db, alphaQ2)).toBe(0);
		expect(
			await followUpQuestion(t.db, ctx('Sec'), {
				assessmentId: alphaQ2,
				questionId: question,
				body: 'And the mobile app?'
			})
		).toEqual({ ok: true, questionId: question });
		const [thread] = await loadThreads(t.db, { id: alphaQ2, teamId: t.org.team('alpha') });
		expect(thread!.status).toBe('open');
		expect(thread!.messages.map((m) => [m.author, m.fromTeam, m.body])).toEqual([
			['Sec', false, 'Which repos does SAST cover?'],
			['Bo', true, 'Every service repo.'],
			['Sec', false, 'And the mobile app?']
		]);
		const entries = await t.db
			.select({ action: table.auditLog.action, detail: table.auditLog.detail })
			.from(table.auditLog)
			.where(inArray(table.auditLog.action, ['question.answered', 'question.followed_up']))
			.orderBy(table.auditLog.id);
		expect(entries).toEqual([
			{
				action: 'question.answered',
				detail: {
					questionId: question,
					criterionId,
					from: 'open',
					to: 'answered',
					body: 'Every service repo.'
				}
			},
			{
				action: 'question.followed_up',
				detail: {
					questionId: question,
					criterionId,
					from: 'answered',
					to: 'open',
					body: 'And the mobile app?'
				}
			}
		]);
		// The team answers while the assessment is returned, too; the reviewer cannot ask then.
		await setStatus('alpha', '2026-Q2', 'returned');
		expect((await ask('Sec', alphaQ2)).ok).toBe(false);
		expect(
			(
				await answerQuestion(t.db, ctx('Ann'), {
					assessmentId: alphaQ2,
					questionId: question,
					body: 'Not yet.'
				})
			).ok
		).toBe(true);
		await setStatus('alpha', '2026-Q2', 'submitted');
		const approved = await transitionAssessment(
			t.db,
			{ ...ctx('Sec'), teamId: t.org.team('alpha') },
			alphaQ2,
			'approve'
		);
		expect(approved).toEqual({ ok: true });
	});

	it('withdraws only an open question, after which it takes no messages; a closed cycle takes nothing', async () => {
		const asked = await ask('Sec', deltaQ2);
		const questionId = (asked as { questionId: string }).questionId;
		const withdraw = () =>
			withdrawQuestion(t.db, ctx('Sec'), { assessmentId: deltaQ2, questionId });
		expect(await withdraw()).toEqual({ ok: true, questionId });
		expect(await openQuestionCount(t.db, deltaQ2)).toBe(0);
		const before = await snapshot();
		expect(await withdraw()).toEqual({ ok: false, code: 'withdrawn' });
		expect(
			await answerQuestion(t.db, ctx('Gus'), {
				assessmentId: deltaQ2,
				questionId,
				body: 'Late answer'
			})
		).toEqual({ ok: false, code: 'withdrawn' });
		expect(
			await followUpQuestion(t.db, ctx('Sec'), { assessmentId: deltaQ2, questionId, body: 'Again' })
		).toEqual({ ok: false, code: 'withdrawn' });
		expect(await snapshot()).toEqual(before);

		const second = (await ask('Sec', deltaQ2)) as { questionId: string };
		await answerQuestion(t.db, ctx('Gus'), {
			assessmentId: deltaQ2,
			questionId: second.questionId,
			body: 'Done'
		});
		expect(
			await withdrawQuestion(t.db, ctx('Sec'), {
				assessmentId: deltaQ2,
				questionId: second.questionId
			})
		).toEqual({
			ok: false,
			code: 'notOpen'
		});
		await t.db
			.update(table.cycle)
			.set({ status: 'closed' })
			.where(and(eq(table.cycle.id, t.org.cycle('2026-Q2'))));
		const closed = await snapshot();
		expect(await ask('Sec', deltaQ2)).toEqual({ ok: false, code: 'cycleClosed' });
		expect(
			await answerQuestion(t.db, ctx('Gus'), {
				assessmentId: deltaQ2,
				questionId: second.questionId,
				body: 'More'
			})
		).toEqual({ ok: false, code: 'cycleClosed' });
		expect(await snapshot()).toEqual(closed);
	});
});
