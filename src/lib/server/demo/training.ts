import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { issueEarnedCertificates } from '$lib/server/training/certificates';
import { getTraining } from '$lib/server/training/load-training';
import { markQuiz, type QuizAnswers } from '$lib/server/training/quiz';
import { CHAMPION_TRACK_ID, type Training, type TrainingModule } from '$lib/server/training/types';
import { demoOrganisation } from './organisation';

const DAY = 86_400_000;

/** How far one demo learner got: modules done, lessons read, quizzes failed, assignments. */
interface LearnerPlan {
	team: string;
	who: 'lead' | 'member';
	/** Modules completed (every lesson read and the quiz passed). */
	complete?: string[];
	/** Modules with only their first lessons read: module id → number of lessons. */
	partial?: Record<string, number>;
	/** Modules whose quiz was attempted and failed once. */
	failed?: string[];
	/** Modules assigned by the team lead, due this many days from today (negative: overdue). */
	assigned?: Record<string, number>;
	/** When they started, in days before today. */
	since: number;
}

/**
 * The demo's learners at different stages. The Payments API champion (the browser tests'
 * member) has done the whole champion track except the last module's last lesson and quiz.
 */
function plans(training: Training): LearnerPlan[] {
	const champion = training.trackById.get(CHAMPION_TRACK_ID)!.modules;
	const last = champion.at(-1)!;
	const lastModule = training.moduleById.get(last)!;
	return [
		{
			team: 'payments-api',
			who: 'member',
			complete: champion.slice(0, -1),
			partial: { [last]: lastModule.lessons.length - 1 },
			assigned: { [last]: 10 },
			since: 60
		},
		{ team: 'checkout-web', who: 'member', complete: champion, since: 90 },
		{
			team: 'mobile-app',
			who: 'member',
			complete: champion.slice(0, 2),
			partial: { [champion[2]!]: 3 },
			failed: [champion[2]!],
			since: 40
		},
		{ team: 'mobile-app', who: 'lead', complete: champion.slice(0, 1), since: 30 },
		{
			team: 'customer-portal',
			who: 'member',
			partial: { [champion[0]!]: 2 },
			assigned: { [champion[0]!]: 14 },
			since: 5
		},
		{
			team: 'cloud-platform',
			who: 'member',
			complete: training.trackById.get('pipeline-essentials')?.modules ?? [],
			since: 50
		},
		{
			team: 'fraud-detection',
			who: 'member',
			assigned: { [champion[0]!]: -14, [champion[1]!]: -3 },
			since: 20
		},
		{
			team: 'notifications',
			who: 'member',
			partial: { [champion[1]!]: 1 },
			assigned: { [champion[1]!]: -7 },
			since: 12
		}
	];
}

/** Answers that get every question right, or only every other one. */
function answers(module: TrainingModule, allRight: boolean): QuizAnswers {
	return Object.fromEntries(
		module.quiz.questions.map((q, i) => {
			const wrong = q.options.find((o) => !q.correct.includes(o.id))!.id;
			return [q.id, allRight || i % 2 === 0 ? q.correct : [wrong]];
		})
	);
}

/** Gives the demo organisation learners at every stage, a certificate or two and overdue assignments. */
export async function seedDemoTraining(
	tx: Tx,
	userIds: ReadonlyMap<string, string>,
	teamIds: ReadonlyMap<string, string>,
	training = getTraining()
) {
	const org = demoOrganisation();
	const now = Date.now();
	const lessons: (typeof table.lessonProgress.$inferInsert)[] = [];
	const attempts: (typeof table.quizAttempt.$inferInsert)[] = [];
	const assignments: (typeof table.trainingAssignment.$inferInsert)[] = [];
	const learners: { id: string; name: string }[] = [];

	for (const plan of plans(training)) {
		const team = org.teams.find((t) => t.slug === plan.team)!;
		const email = team.members.find((m) => m.role === plan.who)!.email;
		const lead = team.members.find((m) => m.role === 'lead')!.email;
		const userId = userIds.get(email)!;
		learners.push({ id: userId, name: org.people.find((p) => p.email === email)!.name });
		let day = plan.since;
		const at = () => new Date(now - Math.max(day--, 1) * DAY + 9 * 3_600_000);
		const read = (module: TrainingModule, count: number) => {
			for (const l of module.lessons.slice(0, count))
				lessons.push({ userId, moduleId: module.id, lessonId: l.id, completedAt: at() });
		};
		const attempt = (module: TrainingModule, allRight: boolean) => {
			const given = answers(module, allRight);
			const mark = markQuiz(module.quiz, given);
			const submittedAt = at();
			attempts.push({
				userId,
				moduleId: module.id,
				moduleVersion: module.version,
				score: mark.score,
				passed: mark.passed,
				answers: given,
				startedAt: new Date(submittedAt.getTime() - 12 * 60_000),
				submittedAt
			});
		};
		for (const id of plan.complete ?? []) {
			const module = training.moduleById.get(id)!;
			read(module, module.lessons.length);
			if (plan.failed?.includes(id)) attempt(module, false);
			attempt(module, true);
		}
		for (const [id, count] of Object.entries(plan.partial ?? {})) {
			const module = training.moduleById.get(id)!;
			read(module, count);
			if (plan.failed?.includes(id)) attempt(module, false);
		}
		for (const [moduleId, days] of Object.entries(plan.assigned ?? {})) {
			assignments.push({
				teamId: teamIds.get(plan.team)!,
				userId,
				moduleId,
				dueOn: new Date(now + days * DAY).toISOString().slice(0, 10),
				assignedBy: userIds.get(lead)!,
				createdAt: new Date(now - plan.since * DAY)
			});
		}
	}
	if (lessons.length) await tx.insert(table.lessonProgress).values(lessons);
	if (attempts.length) await tx.insert(table.quizAttempt).values(attempts);
	if (assignments.length) await tx.insert(table.trainingAssignment).values(assignments);
	for (const learner of learners) await issueEarnedCertificates(tx, training, learner);
}
