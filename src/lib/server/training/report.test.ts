import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import { loadModel } from '$lib/server/model/load-model';
import {
	buildOrganisation,
	type Organisation,
	type PersonName,
	type TeamSlug
} from '$lib/server/testing/organisation';
import { assignModule } from './assignments';
import { completeLesson, submitQuiz } from './learning';
import { loadTraining } from './load-training';
import { championProgress, trainingReport } from './report';
import { CHAMPION_TRACK_ID, type Training, type TrainingModule } from './types';

const model = loadModel();
const training: Training = loadTraining(new Set(model.practiceById.keys()));
const champion = training.trackById.get(CHAMPION_TRACK_ID)!;
const [first, second] = champion.modules.map((id) => training.moduleById.get(id)!) as [
	TrainingModule,
	TrainingModule
];
const ON = '2026-05-01';

/** Who finished which modules, who only started one, and who failed a quiz once. */
const finished: [PersonName, TrainingModule[]][] = [
	['Ann', champion.modules.map((id) => training.moduleById.get(id)!)],
	['Bo', [first]],
	['Dee', [first]], // deactivated
	['Eve', [first]] // in an archived team only
];
const startedOnly: [PersonName, TrainingModule][] = [['Fay', first]];
const failedOnce: [PersonName, TrainingModule][] = [['Cy', first]];
const assignments: { team: TeamSlug; who: PersonName; module: TrainingModule; dueOn: string }[] = [
	{ team: 'alpha', who: 'Bo', module: second, dueOn: '2020-01-01' },
	{ team: 'alpha', who: 'Ann', module: first, dueOn: '2020-01-01' },
	{ team: 'beta', who: 'Dee', module: second, dueOn: '2020-01-01' },
	{ team: 'legacy', who: 'Fay', module: first, dueOn: '2020-01-01' },
	{ team: 'gamma', who: 'Fay', module: first, dueOn: '2099-01-01' }
];

describe('the training report and the champions on the team page', () => {
	let handle: DatabaseHandle;
	let org: Organisation;
	beforeAll(async () => {
		handle = await createTestDatabase();
		const db = handle.db;
		org = await buildOrganisation(db, model);
		const learner = (who: PersonName) => ({ id: org.user(who), name: who, ip: '127.0.0.1' });
		const right = (m: TrainingModule) =>
			Object.fromEntries(m.quiz.questions.map((q) => [q.id, q.correct]));
		const wrong = (m: TrainingModule) =>
			Object.fromEntries(
				m.quiz.questions.map((q) => [q.id, [q.options.find((o) => !q.correct.includes(o.id))!.id]])
			);
		for (const [who, modules] of finished) {
			for (const m of modules) {
				for (const l of m.lessons) await completeLesson(db, training, learner(who), m.id, l.id);
				await submitQuiz(db, training, learner(who), m.id, right(m), null);
			}
		}
		for (const [who, m] of startedOnly)
			await completeLesson(db, training, learner(who), m.id, m.lessons[0]!.id);
		for (const [who, m] of failedOnce)
			await submitQuiz(db, training, learner(who), m.id, wrong(m), null);
		const ctx = { actorId: org.adminId, ip: '127.0.0.1' };
		for (const a of assignments) {
			const input = { userId: org.user(a.who), moduleId: a.module.id, dueOn: a.dueOn };
			const result = await assignModule(db, ctx, training, org.team(a.team), input);
			if (!result.ok) throw new Error(`assignment refused: ${JSON.stringify(result)}`);
		}
	});
	afterAll(() => handle.close());

	const nameOf = (userId: string) => org.users.find((u) => u.id === userId)!.name;
	const done = (userId: string) =>
		finished.find(([who]) => who === nameOf(userId))?.[1].map((m) => m.id) ?? [];
	const started = (userId: string) =>
		done(userId).length > 0 ||
		[...startedOnly, ...failedOnce].some(([who]) => who === nameOf(userId));
	const certified = (userId: string) => champion.modules.every((id) => done(userId).includes(id));
	const isActive = (userId: string) => org.users.find((u) => u.id === userId)!.active;
	/** Active people in a team: deactivated people and archived teams are left out. */
	const people = (teamId: string) =>
		org.members.filter((m) => m.teamId === teamId && isActive(m.userId));
	const overdueWork = () =>
		assignments.filter((a) => {
			const team = org.teams.find((t) => t.slug === a.team)!;
			return (
				team.active &&
				isActive(org.user(a.who)) &&
				a.dueOn < ON &&
				!done(org.user(a.who)).includes(a.module.id)
			);
		});

	it('gives each active team its active members, learners, modules done, champions and overdue work', async () => {
		const expected = org.teams
			.filter((t) => t.active)
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((t) => {
				const ps = people(t.id);
				const modulesDone = ps.reduce((n, p) => n + done(p.userId).length, 0);
				const champions = ps.filter((p) => p.champion);
				return {
					slug: t.slug,
					name: t.name,
					members: ps.length,
					learners: ps.filter((p) => started(p.userId)).length,
					modulesDone,
					completion: ps.length ? modulesDone / (ps.length * training.modules.length) : 0,
					champions: champions.length,
					championsCertified: champions.filter((c) => certified(c.userId)).length,
					overdue: overdueWork().filter((a) => a.team === t.slug).length
				};
			});
		const report = await trainingReport(handle.db, training, ON);
		expect(report.teams).toEqual(expected);
		// Beta's only champion is deactivated, and so is the person its overdue work was for.
		expect(report.teams.find((t) => t.slug === 'beta')).toMatchObject({
			members: 1,
			champions: 0,
			overdue: 0
		});
	});

	it('lists champions behind and overdue work in active teams for active people only', async () => {
		const report = await trainingReport(handle.db, training, ON);
		const behind = org.teams
			.filter((t) => t.active)
			.flatMap((t) =>
				people(t.id)
					.filter((p) => p.champion && !certified(p.userId))
					.map((p) => `${t.name} ${nameOf(p.userId)}`)
			)
			.sort();
		expect(report.championsBehind.map((c) => `${c.teamName} ${c.name}`)).toEqual(behind);
		expect(report.overdue.map((a) => `${a.teamSlug} ${a.name} ${a.moduleId}`).sort()).toEqual(
			overdueWork()
				.map((a) => `${a.team} ${a.who} ${a.module.id}`)
				.sort()
		);
		expect(overdueWork()).toHaveLength(1);
	});

	it("counts a module's and a track's learners over everyone who learned, whatever their team", async () => {
		// Completed work stays completed when someone leaves: these figures are about the content.
		const everyone = org.users.map((u) => u.id);
		const attempted = everyone.filter(
			(u) => done(u).includes(first.id) || failedOnce.some(([who]) => who === nameOf(u))
		);
		const report = await trainingReport(handle.db, training, ON);
		expect(report.modules.find((m) => m.id === first.id)).toMatchObject({
			learners: everyone.filter(started).length,
			completed: everyone.filter((u) => done(u).includes(first.id)).length,
			attempts: attempted.length,
			passRate: everyone.filter((u) => done(u).includes(first.id)).length / attempted.length
		});
		expect(report.tracks.find((t) => t.id === champion.id)).toMatchObject({
			learners: everyone.filter(started).length,
			completed: everyone.filter(certified).length
		});
	});

	it("shows a team page the track progress of the team's active champions", async () => {
		for (const team of org.teams.filter((t) => t.active)) {
			const expected = people(team.id)
				.filter((p) => p.champion)
				.map((p) => ({
					name: nameOf(p.userId),
					modulesDone: champion.modules.filter((id) => done(p.userId).includes(id)).length,
					complete: certified(p.userId)
				}));
			const shown = await championProgress(handle.db, team.id, training);
			expect(
				shown.map(({ name, modulesDone, complete }) => ({ name, modulesDone, complete })),
				team.slug
			).toEqual(expected);
		}
	});
});
