/**
 * Where plan items come from besides typing them: the team page's next steps, practices below
 * their target, and reviewers' questions on the team's assessments (read only here).
 */
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { qualified } from '$lib/server/db/qualified';
import type { Model } from '$lib/server/model/types';
import type { teamPicture } from '$lib/server/assessments/team-picture';

type Picture = NonNullable<Awaited<ReturnType<typeof teamPicture>>>;

const QUESTIONS = 20;

/** Reviewers' questions on this team's assessments (not withdrawn), newest first, with the question's text. */
export async function teamQuestions(db: Database, model: Model, teamId: string) {
	const m = table.questionMessage;
	const rows = await db
		.select({
			id: table.reviewQuestion.id,
			criterionId: table.reviewQuestion.criterionId,
			status: table.reviewQuestion.status,
			cycle: table.cycle.name,
			// The first message of the thread is the question itself.
			body: sql<string | null>`(select ${m.body} from ${m}
				where ${m.questionId} = ${qualified(table.reviewQuestion.id)}
				order by ${m.createdAt} limit 1)`
		})
		.from(table.reviewQuestion)
		.innerJoin(table.assessment, eq(table.assessment.id, table.reviewQuestion.assessmentId))
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.where(and(eq(table.assessment.teamId, teamId), ne(table.reviewQuestion.status, 'withdrawn')))
		.orderBy(desc(table.reviewQuestion.createdAt))
		.limit(QUESTIONS);
	return rows.flatMap((r) => {
		const criterion = model.criterionById.get(r.criterionId);
		if (!criterion) return [];
		const practice = model.practiceById.get(criterion.practiceId)!;
		return [
			{
				...r,
				body: r.body ?? '',
				practiceId: practice.id,
				practiceName: practice.name,
				criterionText: criterion.text
			}
		];
	});
}

/**
 * From the team's picture: the next steps' criteria and the practices whose achieved level is
 * below the team's target, each marked when an open item already covers it.
 */
export function planSuggestions(
	picture: Picture | null,
	openItems: readonly { practiceId: string; criterionId: string | null }[]
) {
	if (!picture) return { nextSteps: [], belowTarget: [] };
	const planned = new Set(openItems.map((i) => `${i.practiceId}|${i.criterionId ?? ''}`));
	return {
		nextSteps: picture.nextSteps.map((s) => ({
			practiceId: s.id,
			name: s.name,
			nextLevel: s.nextLevel,
			criteria: s.criteria.map((c) => ({
				id: c.id,
				text: c.text,
				value: c.value,
				planned: planned.has(`${s.id}|${c.id}`)
			}))
		})),
		belowTarget: picture.practices
			.filter((p) => !p.notApplicable && p.target !== null && p.achievedLevel < p.target)
			.map((p) => ({
				practiceId: p.id,
				name: p.name,
				achievedLevel: p.achievedLevel,
				target: p.target!,
				planned: planned.has(`${p.id}|`)
			}))
	};
}
