import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import { toCsv } from '$lib/server/reports/csv';
import { assignModule, learnerAssignments, removeAssignment, teamAssignments } from './assignments';
import {
	CERTIFICATE_ID,
	learnerCertificate,
	newCertificateId,
	verifyCertificate
} from './certificates';
import { trackProgress } from './completion';
import { completeLesson, submitQuiz } from './learning';
import { loadTraining } from './load-training';
import { modulesForPractice } from './practice-modules';
import { latestAttempt, learnerProgress, progressByUser } from './progress';
import { championProgress, reportTables, trainingReport } from './report';
import { CHAMPION_TRACK_ID, type Training, type TrainingModule } from './types';

const training: Training = loadTraining(new Set(loadModel().practiceById.keys()));
const champion = training.trackById.get(CHAMPION_TRACK_ID)!;
const first = training.moduleById.get(champion.modules[0]!)!;
const rightAnswers = (m: TrainingModule) =>
	Object.fromEntries(m.quiz.questions.map((q) => [q.id, q.correct]));
const wrongAnswers = (m: TrainingModule) =>
	Object.fromEntries(
		m.quiz.questions.map((q) => [q.id, [q.options.find((o) => !q.correct.includes(o.id))!.id]])
	);

describe('certificate ids', () => {
	it('are 160 random bits in 32 lower-case base32 characters', () => {
		const id = newCertificateId();
		expect(id).toMatch(CERTIFICATE_ID);
		expect(decodeBase32IgnorePadding(id.toUpperCase())).toHaveLength(20);
	});

	it('do not repeat and use the whole alphabet evenly', () => {
		const ids = Array.from({ length: 2000 }, newCertificateId);
		expect(new Set(ids).size).toBe(ids.length);
		const counts = new Map<string, number>();
		for (const ch of ids.join('')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
		expect(counts.size).toBe(32);
		// 64,000 characters: each of the 32 appears about 2,000 times; a bias would show.
		for (const n of counts.values()) expect(Math.abs(n - 2000)).toBeLessThan(300);
	});
});

describe('modulesForPractice', () => {
	it('lists the modules that teach a practice, and none for an unknown one', () => {
		expect(modulesForPractice('threat-modeling', training).map((m) => m.href)).toContain(
			'/training/threat-modeling'
		);
		expect(modulesForPractice('no-such-practice', training)).toEqual([]);
	});
});

describe('learning, certificates, assignments and the report', () => {
	let handle: DatabaseHandle;
	const ids: Record<string, string> = {};
	let teamId: string;
	let otherTeamId: string;

	const db = () => handle.db;
	const learner = (name: string) => ({ id: ids[name]!, name, ip: '127.0.0.1' });
	async function finishModule(who: string, m: TrainingModule) {
		for (const l of m.lessons) await completeLesson(db(), training, learner(who), m.id, l.id);
		return submitQuiz(db(), training, learner(who), m.id, rightAnswers(m), null);
	}

	beforeAll(async () => {
		handle = await createTestDatabase();
		const users = await db()
			.insert(table.user)
			.values(
				['Lena Lead', 'Cas Champion', 'Mo Member', 'Ola Outsider'].map((name) => ({
					name,
					email: `${name.split(' ')[0]!.toLowerCase()}@example.com`,
					passwordHash: 'x'
				}))
			)
			.returning();
		for (const u of users) ids[u.name] = u.id;
		const teams = await db()
			.insert(table.team)
			.values([
				{ name: 'Alpha', slug: 'alpha' },
				{ name: 'Beta', slug: 'beta' }
			])
			.returning();
		teamId = teams[0]!.id;
		otherTeamId = teams[1]!.id;
		await db()
			.insert(table.teamMember)
			.values([
				{ teamId, userId: ids['Lena Lead']!, role: 'lead' },
				{ teamId, userId: ids['Cas Champion']!, champion: true },
				{ teamId, userId: ids['Mo Member']! },
				{ teamId: otherTeamId, userId: ids['Ola Outsider']!, role: 'lead', champion: true }
			]);
	});
	afterAll(() => handle.close());

	it('records completed lessons once and refuses unknown ones', async () => {
		const who = learner('Mo Member');
		const lesson = first.lessons[0]!.id;
		expect(await completeLesson(db(), training, who, first.id, lesson)).toEqual({
			certificates: []
		});
		await completeLesson(db(), training, who, first.id, lesson);
		expect(await completeLesson(db(), training, who, first.id, 'no-such-lesson')).toBeNull();
		expect(await completeLesson(db(), training, who, 'no-such-module', lesson)).toBeNull();
		const progress = await learnerProgress(db(), training, who.id);
		expect(progress.get(first.id)).toMatchObject({
			completedLessons: [lesson],
			started: true,
			complete: false
		});
	});

	it('marks quiz attempts on the server and stores score, answers and times', async () => {
		const who = learner('Mo Member');
		const startedAt = new Date(Date.now() - 5 * 60_000);
		const failed = await submitQuiz(db(), training, who, first.id, wrongAnswers(first), startedAt);
		expect(failed?.mark).toMatchObject({ score: 0, passed: false });
		const attempt = await latestAttempt(db(), who.id, first.id);
		expect(attempt).toMatchObject({ score: 0, passed: false, moduleVersion: first.version });
		expect(Object.keys(attempt!.answers).sort()).toEqual(
			first.quiz.questions.map((q) => q.id).sort()
		);
		const [row] = await db()
			.select()
			.from(table.quizAttempt)
			.where(eq(table.quizAttempt.userId, who.id));
		expect(row!.startedAt).toEqual(startedAt);
		expect(row!.submittedAt.getTime()).toBeGreaterThan(startedAt.getTime());

		const passed = await submitQuiz(db(), training, who, first.id, rightAnswers(first), null);
		expect(passed?.mark).toMatchObject({ score: 1, passed: true });
		expect((await learnerProgress(db(), training, who.id)).get(first.id)).toMatchObject({
			attempts: 2,
			passed: true,
			bestScore: 1,
			complete: false // lessons are still missing
		});
		expect(await submitQuiz(db(), training, who, 'no-such-module', {}, null)).toBeNull();
	});

	it('issues one certificate when the last module of a track completes, verifiable by id', async () => {
		const modules = champion.modules.map((id) => training.moduleById.get(id)!);
		const early: string[] = [];
		for (const m of modules.slice(0, -1))
			early.push(...(await finishModule('Cas Champion', m))!.certificates.map((c) => c.trackId));
		// A shorter track whose modules were all finished on the way is certified on the way.
		const before = champion.modules.slice(0, -1);
		expect(early).toEqual(
			training.tracks.filter((t) => t.modules.every((id) => before.includes(id))).map((t) => t.id)
		);
		const last = modules.at(-1)!;
		for (const l of last.lessons)
			await completeLesson(db(), training, learner('Cas Champion'), last.id, l.id);
		const done = await submitQuiz(
			db(),
			training,
			learner('Cas Champion'),
			last.id,
			rightAnswers(last),
			null
		);
		expect(done!.certificates).toEqual([
			{
				id: expect.stringMatching(CERTIFICATE_ID),
				trackId: champion.id,
				trackTitle: champion.title
			}
		]);
		// A retake after completion issues nothing new.
		const again = await finishModule('Cas Champion', last);
		expect(again!.certificates).toEqual([]);

		const held = await learnerCertificate(db(), ids['Cas Champion']!, champion.id);
		expect(held?.id).toBe(done!.certificates[0]!.id);
		const shown = await verifyCertificate(db(), held!.id);
		expect(Object.keys(shown!).sort()).toEqual(['holderName', 'issuedAt', 'trackTitle']);
		expect(shown).toMatchObject({ holderName: 'Cas Champion', trackTitle: champion.title });
		expect(await verifyCertificate(db(), newCertificateId())).toBeNull();
		expect(await verifyCertificate(db(), "' or 1=1 --")).toBeNull();
		const audit = await db()
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'training.certificate_issued'));
		expect(audit.map((a) => a.targetId)).toContain(held!.id);
	});

	it('reads the progress of many learners in one go', async () => {
		const progress = await progressByUser(db(), training, Object.values(ids));
		expect(trackProgress(champion, progress.of(ids['Cas Champion']!)).complete).toBe(true);
		expect(trackProgress(champion, progress.of(ids['Ola Outsider']!))).toMatchObject({
			started: false,
			modulesDone: 0
		});
		expect(progress.learners.sort()).toEqual([ids['Cas Champion'], ids['Mo Member']].sort());
	});

	it('lets a lead assign modules to team members only, and move the due date', async () => {
		const ctx = { actorId: ids['Lena Lead']!, ip: '127.0.0.1' };
		const assign = (userId: string, moduleId: string, dueOn: string) =>
			assignModule(db(), ctx, training, teamId, { userId, moduleId, dueOn });
		expect(await assign(ids['Ola Outsider']!, first.id, '2030-01-01')).toEqual({
			ok: false,
			field: 'userId',
			message: 'Choose a member of this team.'
		});
		expect(await assign(ids['Mo Member']!, 'no-such-module', '2030-01-01')).toMatchObject({
			ok: false,
			field: 'moduleId'
		});
		expect(await assign(ids['Mo Member']!, first.id, '2030-01-01')).toEqual({
			ok: true,
			updated: false
		});
		expect(await assign(ids['Mo Member']!, first.id, '2020-01-01')).toEqual({
			ok: true,
			updated: true
		});
		expect(await assign(ids['Cas Champion']!, first.id, '2020-01-01')).toMatchObject({ ok: true });
		const second = training.moduleById.get(champion.modules[1]!)!;
		expect(await assign(ids['Mo Member']!, second.id, '2030-06-30')).toMatchObject({ ok: true });

		const rows = await teamAssignments(db(), training, teamId, '2026-11-23');
		expect(rows.map((r) => [r.name, r.moduleId, r.dueOn, r.complete, r.overdue])).toEqual([
			['Cas Champion', first.id, '2020-01-01', true, false],
			['Mo Member', first.id, '2020-01-01', false, true],
			['Mo Member', second.id, '2030-06-30', false, false]
		]);
		const mine = await learnerAssignments(db(), training, ids['Mo Member']!, '2026-11-23');
		expect(mine.map((a) => a.teamName)).toEqual(['Alpha', 'Alpha']);

		const other = rows.find((r) => r.moduleId === second.id)!;
		expect(await removeAssignment(db(), ctx, otherTeamId, other.id)).toMatchObject({ ok: false });
		expect(await removeAssignment(db(), ctx, teamId, other.id)).toMatchObject({ ok: true });
		expect(await teamAssignments(db(), training, teamId)).toHaveLength(2);
	});

	it('shows each champion of a team with their champion-track progress', async () => {
		expect(await championProgress(db(), teamId, training)).toEqual([
			{
				userId: ids['Cas Champion'],
				name: 'Cas Champion',
				trackTitle: champion.title,
				modulesDone: champion.modules.length,
				modulesTotal: champion.modules.length,
				complete: true,
				nextModule: null
			}
		]);
		expect(await championProgress(db(), otherTeamId, training)).toEqual([
			expect.objectContaining({
				modulesDone: 0,
				complete: false,
				nextModule: { id: first.id, title: first.title }
			})
		]);
	});

	it('reports completion per team, module and track, champions behind and overdue work', async () => {
		const report = await trainingReport(db(), training, '2026-11-23');
		expect(report.teams).toEqual([
			{
				slug: 'alpha',
				name: 'Alpha',
				members: 3,
				learners: 2,
				modulesDone: champion.modules.length,
				completion: champion.modules.length / (3 * training.modules.length),
				champions: 1,
				championsCertified: 1,
				overdue: 1
			},
			expect.objectContaining({
				slug: 'beta',
				members: 1,
				learners: 0,
				champions: 1,
				championsCertified: 0
			})
		]);
		expect(report.modules.find((m) => m.id === first.id)).toMatchObject({
			learners: 2,
			completed: 1,
			attempts: 3, // Mo failed, then passed; Cas passed at once
			passRate: 1
		});
		expect(report.tracks.find((t) => t.id === champion.id)).toMatchObject({
			learners: 2,
			completed: 1
		});
		expect(report.championsBehind).toEqual([
			expect.objectContaining({ name: 'Ola Outsider', teamSlug: 'beta', modulesDone: 0 })
		]);
		expect(report.overdue).toEqual([
			expect.objectContaining({
				name: 'Mo Member',
				moduleId: first.id,
				dueOn: '2020-01-01',
				daysOverdue: 2518
			})
		]);
		const csv = toCsv(reportTables.overdue(report));
		expect(csv.split('\r\n')[0]).toBe('team,person,email,module,due on,days overdue');
		expect(csv).toContain(`Alpha,Mo Member,mo@example.com,${first.title},2020-01-01,2518`);
		for (const rows of Object.values(reportTables).map((t) => t(report)))
			expect(new Set(rows.map((r) => r.length)).size).toBe(1);
	});
});
