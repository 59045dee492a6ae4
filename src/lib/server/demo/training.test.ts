import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { trackProgress } from '$lib/server/training/completion';
import { getTraining } from '$lib/server/training/load-training';
import { latestAttempt, learnerProgress } from '$lib/server/training/progress';
import { trainingReport } from '$lib/server/training/report';
import { CHAMPION_TRACK_ID } from '$lib/server/training/types';
import { seedDemo } from './seed';

describe('demo training', () => {
	let handle: DatabaseHandle;
	const training = getTraining();
	const champion = training.trackById.get(CHAMPION_TRACK_ID)!;
	const userId = async (email: string) =>
		(await handle.db.select().from(table.user).where(eq(table.user.email, email)))[0]!.id;

	beforeAll(async () => {
		handle = await createTestDatabase();
		await seedDemo(handle.db, 'demo password for tests');
	});
	afterAll(() => handle.close());

	it('leaves the Payments API champion one lesson and one quiz short of the champion track', async () => {
		const ben = await userId('ben.payments-api@demo.rampart.test');
		const progress = await learnerProgress(handle.db, training, ben);
		expect(trackProgress(champion, progress)).toMatchObject({
			modulesDone: champion.modules.length - 1,
			complete: false,
			nextModuleId: champion.modules.at(-1)
		});
		const last = training.moduleById.get(champion.modules.at(-1)!)!;
		expect(progress.get(last.id)!.completedLessons).toEqual(
			last.lessons.slice(0, -1).map((l) => l.id)
		);
		expect(await latestAttempt(handle.db, ben, last.id)).toBeNull();
		const certificates = await handle.db
			.select()
			.from(table.certificate)
			.where(eq(table.certificate.userId, ben));
		expect(certificates.map((c) => c.trackId)).not.toContain(CHAMPION_TRACK_ID);
	});

	it('has learners at every stage, certificates and overdue assignments', async () => {
		const report = await trainingReport(handle.db, training);
		const track = report.tracks.find((t) => t.id === CHAMPION_TRACK_ID)!;
		expect(track.completed).toBeGreaterThanOrEqual(1);
		expect(track.learners).toBeGreaterThan(track.completed + 2);
		expect(report.overdue.length).toBeGreaterThanOrEqual(2);
		expect(report.championsBehind.length).toBeGreaterThan(3);
		expect(report.modules.some((m) => m.passRate > 0 && m.passRate < 1)).toBe(true);
		const certified = await handle.db.select().from(table.certificate);
		expect(new Set(certified.map((c) => c.trackId)).size).toBe(training.tracks.length);
	});

	it('keeps the admin, security and leadership accounts out of the training records', async () => {
		for (const email of [
			'admin@demo.rampart.test',
			'security@demo.rampart.test',
			'cto@demo.rampart.test'
		]) {
			const id = await userId(email);
			const progress = await learnerProgress(handle.db, training, id);
			expect([...progress.values()].some((p) => p.started)).toBe(false);
		}
	});
});
