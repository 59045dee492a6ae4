import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Model } from '$lib/server/model/types';
import { loadThreads, type Thread } from './question-threads';
import {
	reviewView,
	type AnswerState,
	type AssessmentSnapshot,
	type PracticeState,
	type ReviewFilter
} from './review-diff';

/** The team's latest approved assessment in a cycle that started before this one, if any. */
export async function lastApprovedBefore(
	db: Database,
	teamId: string,
	cycle: { id: string; startsOn: string }
) {
	const [row] = await db
		.select({ id: table.assessment.id, cycle: table.cycle.name })
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.where(
			and(
				eq(table.assessment.teamId, teamId),
				eq(table.assessment.status, 'approved'),
				lt(table.cycle.startsOn, cycle.startsOn)
			)
		)
		.orderBy(desc(table.cycle.startsOn))
		.limit(1);
	return row ?? null;
}

/** The answers and practice rows of a few assessments: two queries, whatever their number. */
async function loadSnapshots(
	db: Database,
	ids: string[]
): Promise<Map<string, AssessmentSnapshot>> {
	const [answers, practices] = await Promise.all([
		db
			.select({
				assessmentId: table.answer.assessmentId,
				criterionId: table.answer.criterionId,
				value: table.answer.value,
				comment: table.answer.comment,
				evidence: table.answer.evidence,
				updatedBy: table.user.name
			})
			.from(table.answer)
			.leftJoin(table.user, eq(table.user.id, table.answer.updatedBy))
			.where(inArray(table.answer.assessmentId, ids)),
		db
			.select({
				assessmentId: table.assessmentPractice.assessmentId,
				practiceId: table.assessmentPractice.practiceId,
				notApplicable: table.assessmentPractice.notApplicable,
				reason: table.assessmentPractice.notApplicableReason,
				target: table.assessmentPractice.target,
				score: table.assessmentPractice.score,
				achievedLevel: table.assessmentPractice.achievedLevel
			})
			.from(table.assessmentPractice)
			.where(inArray(table.assessmentPractice.assessmentId, ids))
	]);
	const out = new Map(
		ids.map((id) => [
			id,
			{
				answers: new Map<string, AnswerState & { updatedBy: string | null }>(),
				practices: new Map<string, PracticeState>()
			}
		])
	);
	for (const { assessmentId, criterionId, ...a } of answers)
		out.get(assessmentId)!.answers.set(criterionId, a);
	for (const { assessmentId, practiceId, ...p } of practices)
		out.get(assessmentId)!.practices.set(practiceId, p);
	return out;
}

/**
 * Everything the reviewer's workspace shows for one assessment: what changed since the team's
 * last approved assessment (filtered), the practices that moved most, and every question.
 */
export async function reviewWorkspace(
	db: Database,
	model: Model,
	assessment: { id: string; teamId: string },
	cycle: { id: string; startsOn: string },
	filter: ReviewFilter
): Promise<{
	baseline: { cycle: string } | null;
	view: ReturnType<typeof reviewView>;
	threads: Thread[];
}> {
	const baseline = await lastApprovedBefore(db, assessment.teamId, cycle);
	const ids = baseline ? [assessment.id, baseline.id] : [assessment.id];
	const [snapshots, threads] = await Promise.all([
		loadSnapshots(db, ids),
		loadThreads(db, assessment)
	]);
	const view = reviewView(
		model,
		snapshots.get(assessment.id)!,
		baseline ? snapshots.get(baseline.id)! : null,
		filter
	);
	return { baseline: baseline ? { cycle: baseline.cycle } : null, view, threads };
}
