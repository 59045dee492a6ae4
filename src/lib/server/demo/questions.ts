import { eq } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { QuestionStatus } from '$lib/server/db/schema';
import type { Model } from '$lib/server/model/types';
import { demoCycles } from './assessments';

/*
 * Reviewers' questions on the current cycle's assessments, consistent with their statuses: an
 * open question only where the assessment is still under review (a submitted one therefore
 * waits for its answer before it can be approved; a returned one waits for the team), only
 * settled ones on an approved assessment. Analytics, also submitted, has none, so it can be
 * approved as it is.
 */

type Say = { by: 'reviewer' | 'lead' | 'member'; body: string };

const questions: {
	team: string;
	practice: string;
	status: QuestionStatus;
	thread: Say[];
}[] = [
	{
		team: 'checkout-web',
		practice: 'static-analysis',
		status: 'open',
		thread: [
			{
				by: 'reviewer',
				body: 'No evidence is linked here. Which pipeline runs SAST on pull requests, and does it block merges?'
			}
		]
	},
	{
		team: 'checkout-web',
		practice: 'secret-detection',
		status: 'answered',
		thread: [
			{ by: 'reviewer', body: 'Does the pre-commit hook run on every developer machine?' },
			{
				by: 'member',
				body: 'It is installed by the repository bootstrap script; CI runs the same scan, so a skipped hook is still caught.'
			},
			{ by: 'reviewer', body: 'Is the CI scan required, or only advisory?' },
			{ by: 'lead', body: 'Required: the job is a protected status check on main since October.' }
		]
	},
	{
		team: 'notifications',
		practice: 'dependency-scanning',
		status: 'answered',
		thread: [
			{ by: 'reviewer', body: 'Which repositories are not covered yet ("most")?' },
			{
				by: 'lead',
				body: 'The two legacy SMS gateways. They are being retired in Q1; until then they get a monthly manual scan.'
			}
		]
	},
	{
		team: 'notifications',
		practice: 'threat-modeling',
		status: 'withdrawn',
		thread: [
			{
				by: 'reviewer',
				body: 'Where is the threat model for the push service? (Withdrawn: found it in the design wiki.)'
			}
		]
	},
	{
		team: 'mobile-app',
		practice: 'static-analysis',
		status: 'open',
		thread: [
			{
				by: 'reviewer',
				body: 'Please link the SAST results for the iOS app: the pipeline configuration we were sent only shows Android.'
			}
		]
	},
	{
		team: 'fraud-detection',
		practice: 'penetration-testing',
		status: 'answered',
		thread: [
			{
				by: 'reviewer',
				body: 'When was the last external penetration test, and were its findings closed?'
			},
			{
				by: 'lead',
				body: 'September, by the usual vendor. Both high findings were fixed within two weeks; the report is linked as evidence.'
			}
		]
	}
];

const HOUR = 3_600_000;

/** Adds the questions above to the demo's current cycle (its assessments must exist). */
export async function seedDemoQuestions(tx: Tx, model: Model, reviewerId: string) {
	const cycleName = demoCycles.at(-1)!.name;
	const rows = await tx
		.select({
			assessmentId: table.assessment.id,
			slug: table.team.slug,
			submittedAt: table.assessment.submittedAt,
			userId: table.teamMember.userId,
			role: table.teamMember.role
		})
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.innerJoin(table.teamMember, eq(table.teamMember.teamId, table.team.id))
		.where(eq(table.cycle.name, cycleName));
	for (const q of questions) {
		const team = rows.filter((r) => r.slug === q.team);
		const at = team[0]?.submittedAt;
		const criterion = model.practiceById.get(q.practice)?.levels[0]?.criteria[0];
		if (!at || !criterion) continue;
		const author = (by: Say['by']) =>
			by === 'reviewer' ? reviewerId : (team.find((r) => r.role === by)?.userId ?? null);
		// An hour after submission, then an hour a message: the approved one was reviewed at 15:00.
		const time = (i: number) => new Date(at.getTime() + (i + 1) * HOUR);
		const [question] = await tx
			.insert(table.reviewQuestion)
			.values({
				assessmentId: team[0]!.assessmentId,
				criterionId: criterion.id,
				status: q.status,
				askedBy: reviewerId,
				createdAt: time(0),
				updatedAt: time(q.thread.length - 1)
			})
			.returning({ id: table.reviewQuestion.id });
		await tx.insert(table.questionMessage).values(
			q.thread.map((m, i) => ({
				questionId: question!.id,
				authorId: author(m.by),
				body: m.body,
				createdAt: time(i)
			}))
		);
	}
}
