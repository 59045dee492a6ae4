import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import type { Model } from '$lib/server/model/types';
import { findAssessment, listTeamAssessments, loadAnswers, saveAnswer } from './assessments';
import { openCycle, setCycleStatus } from './cycles';
import { assessmentProgressOf } from './overview';
import { phaseForm } from './phase-form';
import { teamPicture } from './team-picture';

// Both pages read only the answers they show; these pin what they show.
describe('the team picture and the phase form', () => {
	let handle: DatabaseHandle;
	let model: Model;
	let actorId: string;
	let teamId: string;
	const ctx = () => ({ actorId, ip: '127.0.0.1', teamId });
	const assessment = async (cycle: string) => (await findAssessment(handle.db, teamId, cycle))!;
	const answer = async (cycle: string, criterionId: string, value: 0 | 0.5 | 1, comment = '') => {
		const { assessment: a } = await assessment(cycle);
		const base = (await loadAnswers(handle.db, a.id)).get(criterionId)?.version ?? 0;
		const r = await saveAnswer(handle.db, ctx(), model, {
			assessmentId: a.id,
			criterionId,
			value,
			comment,
			evidence: comment ? ['https://ci.example.com/run/1'] : [],
			baseVersion: base
		});
		expect(r.ok).toBe(true);
	};

	beforeAll(async () => {
		handle = await createTestDatabase();
		model = loadModel();
		const [u] = await handle.db
			.insert(table.user)
			.values({ email: 'p@example.com', name: 'Pat', passwordHash: 'x', role: 'admin' })
			.returning();
		actorId = u!.id;
		const [t] = await handle.db.insert(table.team).values({ name: 'Web', slug: 'web' }).returning();
		teamId = t!.id;
		const dates = [
			['2026-Q1', '2026-01-01', '2026-03-15'],
			['2026-Q2', '2026-04-01', '2026-06-15']
		] as const;
		for (const [name, startsOn, dueOn] of dates) {
			const [open] = await handle.db
				.select()
				.from(table.cycle)
				.where(eq(table.cycle.status, 'open'));
			if (open) await setCycleStatus(handle.db, ctx(), open.id, 'closed');
			expect((await openCycle(handle.db, ctx(), model, { name, startsOn, dueOn })).ok).toBe(true);
			if (name === '2026-Q1') {
				// Every practice at level 1 except threat modeling, which stays at level 0.
				for (const p of model.practices.filter((p) => p.id !== 'threat-modeling'))
					for (const c of p.levels[0]!.criteria) await answer(name, c.id, 1);
				await answer(name, 'threat-modeling.1.a', 1);
				await answer(name, 'threat-modeling.1.b', 0.5, 'Only the payments service');
			}
		}
		// This quarter: one criterion moved on, and one of another phase changed.
		await answer('2026-Q2', 'threat-modeling.1.b', 1, 'Every service now');
		await answer('2026-Q2', 'threat-modeling.1.c', 0);
	});
	afterAll(() => handle.close());

	it('offers the weakest practice first, with the criteria still open at its next level and their answers', async () => {
		const assessments = await listTeamAssessments(handle.db, teamId);
		const picture = (await teamPicture(handle.db, model, assessments))!;
		expect(picture.current.cycle).toBe('2026-Q2');
		expect(picture.previous?.cycle).toBe('2026-Q1');
		const first = picture.nextSteps[0]!;
		expect(first).toMatchObject({ id: 'threat-modeling', achievedLevel: 0, nextLevel: 1 });
		// 1.a and 1.b are fully met (left out); 1.c is not met, as answered this quarter.
		expect(first.criteria).toEqual([
			expect.objectContaining({ id: 'threat-modeling.1.c', value: 0 })
		]);
		expect(picture.nextSteps).toHaveLength(3);
		for (const step of picture.nextSteps.slice(1)) {
			expect(step.nextLevel).toBe(2);
			const open = model.practiceById.get(step.id)!.levels[1]!.criteria.map((c) => c.id);
			// Nothing answered at level 2: every criterion is open and unanswered.
			expect(step.criteria.map((c) => [c.id, c.value])).toEqual(open.map((id) => [id, null]));
		}
	});

	it("shows the phase's answers now and last quarter, and none of another phase", async () => {
		const { assessment: a, cycle } = await assessment('2026-Q2');
		const plan = model.phases.find((p) => p.practices.some((x) => x.id === 'threat-modeling'))!;
		const { practices: form } = await phaseForm(
			handle.db,
			model,
			{ team: { id: teamId }, assessment: a, cycle },
			plan
		);
		const criteria = new Map(
			form.flatMap((p) => p.levels.flatMap((l) => l.criteria.map((c) => [c.id, c])))
		);
		expect(criteria.get('threat-modeling.1.b')).toMatchObject({
			answer: {
				value: 1,
				comment: 'Every service now',
				evidence: ['https://ci.example.com/run/1'],
				version: 2
			},
			previous: { value: 0.5 }
		});
		expect(criteria.get('threat-modeling.1.c')).toMatchObject({
			answer: { value: 0, version: 1 },
			previous: { value: null }
		});
		// Every criterion of the phase carries last quarter's answer, and this quarter's.
		const q1 = await loadAnswers(handle.db, (await assessment('2026-Q1')).assessment.id);
		const q2 = await loadAnswers(handle.db, a.id);
		for (const [id, c] of criteria) {
			expect(c.previous?.value, id).toBe(q1.get(id)?.value ?? null);
			expect(c.answer.value, id).toBe(q2.get(id)?.value ?? null);
		}
		const other = model.phases.find((p) => p.id !== plan.id)!;
		const { practices: otherForm, progress } = await phaseForm(
			handle.db,
			model,
			{ team: { id: teamId }, assessment: a, cycle },
			other
		);
		// The progress read with the form is the assessment's, as assessmentProgressOf reads it.
		expect(progress).toEqual(await assessmentProgressOf(handle.db, model, a.id));
		const ids = otherForm.flatMap((p) => p.levels.flatMap((l) => l.criteria.map((c) => c.id)));
		expect(ids.some((id) => id.startsWith('threat-modeling.'))).toBe(false);
		const answered = otherForm.flatMap((p) => p.levels[0]!.criteria.map((c) => c.answer.value));
		expect(answered.every((v) => v === 1)).toBe(true);
	});
});
