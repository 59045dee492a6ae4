import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import { criterionIdsOf } from '$lib/server/model/criteria';
import { findAssessment, saveAnswer, savePracticeSettings } from './assessments';
import { openCycle } from './cycles';
import { transitionAssessment } from './review';

// Submitting with criteria unanswered: they count as "no", so the lead must confirm how many,
// and what they confirmed must still be all there is when the submission is written.
describe('submitting an assessment with unanswered criteria', () => {
	const model = loadModel();
	const everyCriterion = model.phases.flatMap((p) => criterionIdsOf(p.practices));
	let handle: DatabaseHandle | undefined;
	let lead = { id: '', role: 'member' as const };
	let teamId = '';

	beforeEach(async () => {
		await handle?.close();
		handle = await createTestDatabase();
		const [u] = await handle.db
			.insert(table.user)
			.values({ email: 'lead@example.com', name: 'Lee', passwordHash: 'x', role: 'member' })
			.returning();
		lead = { id: u!.id, role: 'member' };
		const [t] = await handle.db.insert(table.team).values({ name: 'One', slug: 'one' }).returning();
		teamId = t!.id;
		await handle.db.insert(table.teamMember).values({ teamId, userId: lead.id, role: 'lead' });
		await openCycle(handle.db, { actorId: lead.id, ip: '127.0.0.1' }, model, {
			name: '2026-Q1',
			startsOn: '2026-01-01',
			dueOn: '2026-03-31'
		});
	});
	afterAll(() => handle?.close());

	const ctx = () => ({ actor: lead, actorId: lead.id, ip: '127.0.0.1', teamId });
	const assessment = async () => (await findAssessment(handle!.db, teamId, '2026-Q1'))!.assessment;
	const answer = async (criterionId: string, value: 0 | 1 | null) => {
		const a = await assessment();
		const [row] = await handle!.db
			.select({ version: table.answer.version })
			.from(table.answer)
			.where(and(eq(table.answer.assessmentId, a.id), eq(table.answer.criterionId, criterionId)));
		const r = await saveAnswer(handle!.db, ctx(), model, {
			assessmentId: a.id,
			criterionId,
			value,
			comment: '',
			evidence: [],
			baseVersion: row?.version ?? 0
		});
		expect(r.ok).toBe(true);
	};
	const submit = async (confirmedUnanswered: number) =>
		transitionAssessment(handle!.db, ctx(), (await assessment()).id, 'submit', '', {
			model,
			confirmedUnanswered
		});
	const submissions = () =>
		handle!.db
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'assessment.submitted'));

	it('refuses without a confirmation, naming how many, and changes nothing', async () => {
		await answer(everyCriterion[0]!, 1);
		await answer(everyCriterion[1]!, 0);
		const left = everyCriterion.length - 2;
		const refused = await submit(0);
		expect(refused).toEqual({
			ok: false,
			field: 'confirmUnanswered',
			message: `${left} criteria are unanswered: answer them, or confirm that they are submitted as “no”.`
		});
		expect((await assessment()).status).toBe('draft');
		expect(await submissions()).toHaveLength(0);
		// Confirming the number shown submits, and the confirmation is recorded with it.
		expect(await submit(left)).toEqual({ ok: true });
		const a = await assessment();
		expect(a.status).toBe('submitted');
		expect(a.submittedUnanswered).toBe(left);
		expect((await submissions())[0]!.detail).toMatchObject({ unansweredSubmittedAsNo: left });
	});

	it('refuses when more became unanswered after the lead confirmed', async () => {
		await answer(everyCriterion[0]!, 1);
		const shown = everyCriterion.length - 1;
		// Someone clears the one answer while the lead reads the list.
		await answer(everyCriterion[0]!, null);
		expect(await submit(shown)).toMatchObject({ ok: false, field: 'confirmUnanswered' });
		expect((await assessment()).status).toBe('draft');
	});

	it('needs no confirmation when everything needed is answered; not-applicable practices need none', async () => {
		const a = await assessment();
		const [skipped, ...rest] = model.practices;
		const r = await savePracticeSettings(handle!.db, ctx(), model, {
			assessmentId: a.id,
			practiceId: skipped!.id,
			notApplicable: true,
			reason: 'No such systems here',
			target: null,
			baseVersion: 1
		});
		expect(r.ok).toBe(true);
		for (const id of criterionIdsOf(rest)) await answer(id, 0);
		expect(await submit(0)).toEqual({ ok: true });
		expect((await assessment()).submittedUnanswered).toBeNull();
	});
});
