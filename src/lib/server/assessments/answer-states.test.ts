import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { countStatements, createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import type { Model } from '$lib/server/model/types';
import {
	answerSaveRetries,
	findAssessment,
	loadAnswers,
	loadPhaseScores,
	loadPractices,
	saveAnswer,
	savePracticeSettings,
	type AnswerInput
} from './assessments';
import { keptAnswerState } from './answer-states';
import { openCycle, setCycleStatus } from './cycles';
import { transitionAssessment } from './review';
import { aggregateScores, scorePractices } from './rescore';

/**
 * A save starting from the state the last save of the assessment left (embedded database
 * only): one statement instead of two, and never a score, answer or refusal that reading first
 * would not give, whatever changed in between.
 */
describe('saving from the state the last save left', () => {
	let handle: DatabaseHandle;
	let model: Model;
	let userId: string;
	let teamId: string;
	let cycleId: string;
	let assessmentId: string;
	let cycles = 0;
	const ctx = () => ({
		actor: { id: userId, role: 'admin' as const },
		actorId: userId,
		ip: '127.0.0.1',
		teamId
	});
	const embedded = () => handle.kind === 'pglite';
	const practice = () => model.practiceById.get('dependency-scanning')!;
	const criteria = () => practice().levels.flatMap((l) => l.criteria.map((c) => c.id));

	beforeAll(async () => {
		handle = await createTestDatabase();
		model = loadModel();
		const [u] = await handle.db
			.insert(table.user)
			.values({ email: 'kept@example.com', name: 'Kim', passwordHash: 'x', role: 'admin' })
			.returning();
		userId = u!.id;
		const [t] = await handle.db
			.insert(table.team)
			.values({ name: 'Kept', slug: 'kept' })
			.returning();
		teamId = t!.id;
	});
	afterAll(() => handle.close());

	beforeEach(async () => {
		// A fresh cycle and assessment for each test, each starting before the last: nothing is
		// taken over from an earlier assessment.
		const year = 2060 - ++cycles;
		const name = `${year}-Q1`;
		const opened = await openCycle(handle.db, ctx(), model, {
			name,
			startsOn: `${year}-01-01`,
			dueOn: `${year}-03-15`
		});
		expect(opened).toMatchObject({ ok: true });
		const found = (await findAssessment(handle.db, teamId, name))!;
		cycleId = found.cycle.id;
		assessmentId = found.assessment.id;
	});

	const save = (criterionId: string, value: AnswerInput['value'], baseVersion: number) =>
		saveAnswer(handle.db, ctx(), model, {
			assessmentId,
			criterionId,
			value,
			comment: '',
			evidence: [],
			baseVersion
		});

	/** What the stored answers score afresh, against what is stored. */
	async function expectScoresOfStoredAnswers(of = practice()) {
		const answers = await loadAnswers(handle.db, assessmentId);
		const values = new Map([...answers].map(([id, a]) => [id, a.value]));
		const stored = await loadPractices(handle.db, assessmentId);
		const [fresh] = scorePractices([of], values);
		expect(stored.get(of.id)?.score).toBeCloseTo(fresh!.score, 6);
		const phases = aggregateScores(
			model,
			[...stored].map(([practiceId, p]) => ({ ...p, practiceId }))
		).phases;
		const storedPhases = await loadPhaseScores(handle.db, assessmentId);
		for (const p of phases) expect(storedPhases.get(p.phase) ?? null).toBeCloseTo(p.score ?? 0, 6);
	}

	it('saves the next answer of an assessment in one statement, scoring it as a read would', async () => {
		const [first, second, third] = criteria();
		expect(await save(first!, 1, 0)).toEqual({ ok: true, version: 1 });
		expect(Boolean(keptAnswerState(handle.db, assessmentId))).toBe(embedded());
		const counted = countStatements(handle.db);
		try {
			expect(await save(second!, 0.5, 0)).toEqual({ ok: true, version: 1 });
			expect(await save(first!, 0.25, 1)).toEqual({ ok: true, version: 2 });
			if (embedded()) expect(counted.count).toBe(2);
		} finally {
			counted.stop();
		}
		expect(await save(third!, 1, 0)).toEqual({ ok: true, version: 1 });
		const stored = await loadAnswers(handle.db, assessmentId);
		expect(stored.get(first!)).toMatchObject({ value: 0.25, version: 2 });
		expect(stored.get(second!)).toMatchObject({ value: 0.5, version: 1 });
		await expectScoresOfStoredAnswers();
	});

	it('reads again when another write moved the assessment since (practice marked not applicable)', async () => {
		const [first, second] = criteria();
		expect(await save(first!, 1, 0)).toMatchObject({ ok: true });
		const settings = await savePracticeSettings(handle.db, ctx(), model, {
			assessmentId,
			practiceId: practice().id,
			notApplicable: true,
			reason: 'No dependencies',
			target: null,
			baseVersion: 1
		});
		expect(settings.ok).toBe(true);
		const before = answerSaveRetries.fromKept;
		expect(await save(second!, 1, 0)).toEqual({ ok: true, version: 1 });
		if (embedded()) expect(answerSaveRetries.fromKept - before).toBe(1);
		// Not applicable: out of the phase score, as a read finds it.
		const stored = await loadPractices(handle.db, assessmentId);
		expect(stored.get(practice().id)).toMatchObject({ notApplicable: true });
		await expectScoresOfStoredAnswers();
	});

	it('finds a conflict, and no false one, when the answer changed elsewhere since', async () => {
		const [first] = criteria();
		expect(await save(first!, 1, 0)).toMatchObject({ ok: true });
		// Another writer (another process, or an import) sets the answer to "no", version 2, and
		// moves the assessment row as every writer of answers does.
		await handle.db.execute(sql`update answer set value = 0, version = 2
			where assessment_id = ${assessmentId}::uuid and criterion_id = ${first!}`);
		await handle.db.execute(
			sql`update assessment set updated_at = now() where id = ${assessmentId}::uuid`
		);
		// The kept state says "all, version 1": the same answer again is not "nothing changed".
		expect(await save(first!, 1, 1)).toMatchObject({
			ok: false,
			kind: 'conflict',
			current: { value: 0, version: 2, updatedBy: 'Kim' }
		});
		// Someone who saw version 2 saves over it: the kept version 1 is no conflict.
		expect(await save(first!, 0.5, 2)).toEqual({ ok: true, version: 3 });
		expect((await loadAnswers(handle.db, assessmentId)).get(first!)).toMatchObject({
			value: 0.5,
			version: 3
		});
		await expectScoresOfStoredAnswers();
	});

	it('refuses once the cycle is closed or the assessment submitted, writing nothing', async () => {
		const [first, second] = criteria();
		expect(await save(first!, 1, 0)).toMatchObject({ ok: true });
		await setCycleStatus(handle.db, ctx(), cycleId, 'closed');
		expect(await save(second!, 1, 0)).toMatchObject({ ok: false, kind: 'locked' });
		await setCycleStatus(handle.db, ctx(), cycleId, 'open');
		expect((await save(second!, 1, 0)).ok).toBe(true);
		const submitted = await transitionAssessment(handle.db, ctx(), assessmentId, 'submit', '', {
			model,
			confirmedUnanswered: Number.MAX_SAFE_INTEGER
		});
		expect(submitted.ok).toBe(true);
		expect(await save(first!, 0, 1)).toMatchObject({ ok: false, kind: 'locked' });
		const stored = await loadAnswers(handle.db, assessmentId);
		expect(stored.get(first!)).toMatchObject({ value: 1, version: 1 });
		expect(stored.get(second!)).toMatchObject({ value: 1, version: 1 });
		const [row] = await handle.db
			.select({ status: table.assessment.status })
			.from(table.assessment)
			.where(eq(table.assessment.id, assessmentId));
		expect(row!.status).toBe('submitted');
	});

	it('keeps every answer of saves made at once from one kept state', async () => {
		const ids = criteria().slice(0, 6);
		// Another practice's answers first: the state kept after the saves below must hold them.
		const other = model.practiceById.get('secret-detection')!;
		const [o1, o2, o3] = other.levels.flatMap((l) => l.criteria.map((c) => c.id));
		expect((await save(o1!, 1, 0)).ok).toBe(true);
		expect((await save(o2!, 1, 0)).ok).toBe(true);
		expect((await save(ids[0]!, 0.25, 0)).ok).toBe(true);
		const results = await Promise.all(ids.slice(1).map((id) => save(id, 1, 0)));
		expect(results).toEqual(ids.slice(1).map(() => ({ ok: true, version: 1 })));
		const stored = await loadAnswers(handle.db, assessmentId);
		for (const id of ids.slice(1)) expect(stored.get(id)).toMatchObject({ value: 1, version: 1 });
		await expectScoresOfStoredAnswers();
		// And the state kept at the end is the stored one, the other practice's answers too (saves
		// that met went again locked, in a transaction): more saves score from it.
		expect(await save(ids[0]!, 1, 1)).toEqual({ ok: true, version: 2 });
		await expectScoresOfStoredAnswers();
		expect(await save(o3!, 0.5, 0)).toEqual({ ok: true, version: 1 });
		await expectScoresOfStoredAnswers(other);
	});
});
