import type { Database } from '$lib/server/db';
import type { Model, Phase } from '$lib/server/model/types';
import { criteriaOf, criterionIdsOf } from '$lib/server/model/criteria';
import { pipelineFacts } from '$lib/server/evidence/facts';
import { currentTeamRuns } from '$lib/server/evidence/runs';
import { shownFacts } from '$lib/server/evidence/shown';
import type { TeamRuns } from '$lib/server/evidence/facts';
import { sql } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import { keptForTeam } from '$lib/server/teams/team-cache';
import { assessmentProgress, type PhaseProgress } from './progress';

/**
 * Everything the phase form shows: each practice's settings and each criterion's answer, then and
 * now; and the whole assessment's progress (for the counts and the next unanswered criterion).
 */
export async function phaseForm(
	db: Database,
	model: Model,
	access: {
		team: { id: string };
		assessment: typeof table.assessment.$inferSelect;
		cycle: typeof table.cycle.$inferSelect;
	},
	phase: Phase,
	now = new Date()
): Promise<{ practices: ReturnType<typeof practicesOf>; progress: PhaseProgress[] }> {
	const shown = criterionIdsOf(phase.practices);
	// Criteria a pipeline can confirm show its facts: the team's runs, cached per data revision.
	const withRules = criteriaOf(phase.practices).some((c) => c.evidence);
	const [read, runs] = await Promise.all([
		phaseAnswers(db, model, access, phase.id, shown),
		withRules ? currentTeamRuns(db, access.team.id) : null
	]);
	return { practices: practicesOf(phase, read, runs, now), progress: read.progress };
}

function practicesOf(
	phase: Phase,
	{ previousId: prevId, answers, previous, practices }: PhaseRead,
	runs: TeamRuns | null,
	now: Date
) {
	return phase.practices.map((p) => {
		const stored = practices.get(p.id);
		const settings = {
			notApplicable: stored?.notApplicable ?? false,
			reason: stored?.notApplicableReason ?? '',
			target: stored?.target ?? null,
			version: stored?.version ?? 1
		};
		return {
			id: p.id,
			name: p.name,
			summary: p.summary,
			score: stored?.score ?? 0,
			achievedLevel: stored?.achievedLevel ?? 0,
			settings,
			levels: p.levels.map((l) => ({
				level: l.level,
				title: l.title,
				criteria: l.criteria.map((c) => {
					const a = answers.get(c.id);
					const answer = {
						value: a?.value ?? null,
						comment: a?.comment ?? '',
						evidence: a?.evidence ?? [],
						version: a?.version ?? 0
					};
					const before = previous.get(c.id);
					return {
						id: c.id,
						text: c.text,
						answer,
						// Last cycle's value, for "changed" (a conflict names who answered, from the save).
						previous: prevId ? { value: before?.value ?? null } : null,
						/** What the team's pipelines show for the criterion's evidence rule, if it has one. */
						pipeline: c.evidence ? shownFacts(pipelineFacts(c.evidence, runs, now)) : null
					};
				})
			}))
		};
	});
}

interface StoredPractice {
	practiceId: string;
	notApplicable: boolean;
	notApplicableReason: string;
	target: number | null;
	score: number;
	achievedLevel: number;
	version: number;
}

type PhaseRead = Awaited<ReturnType<typeof phaseAnswers>>;

interface PhaseAnswer {
	value: number | null;
	comment: string;
	evidence: string[];
	version: number;
}

interface PhaseAnswersRow {
	previousId: string | null;
	current: [string, number | null, string, string[], number][] | null;
	previous: [string, number | null][] | null;
	answered: string[];
	practices: [string, boolean, string, number | null, number, number, number][] | null;
}

/**
 * The phase's answers now and in the team's previous assessment (the one of the latest cycle
 * that started before this one), the assessment's practice rows and which of its criteria are
 * answered, in one statement: a phase page is opened far more often than anything on it
 * changes, and each statement costs more to send and read than to run. team-cache.test.ts checks
 * that a trigger watches all it reads.
 */
export function phaseAnswersQuery(
	access: {
		team: { id: string };
		assessment: { id: string };
		cycle: { id: string; startsOn: string };
	},
	criterionIds: readonly string[]
) {
	const a = table.answer;
	const p = table.assessmentPractice;
	const ids = sql.join(
		criterionIds.map((id) => sql`${id}`),
		sql`, `
	);
	const previousId = sql`(select ${table.assessment.id} from ${table.assessment}
		join ${table.cycle} on ${table.cycle.id} = ${table.assessment.cycleId}
		where ${table.assessment.teamId} = ${access.team.id}
		and ${table.cycle.startsOn} < ${access.cycle.startsOn} and ${table.cycle.id} <> ${access.cycle.id}
		order by ${table.cycle.startsOn} desc limit 1)`;
	return sql`with previous as (select ${previousId} as id)
			select (select id from previous) as "previousId",
			(select json_agg(json_build_array(${a.criterionId}, ${a.value}, ${a.comment}, ${a.evidence}, ${a.version}))
				from ${a} where ${a.assessmentId} = ${access.assessment.id} and ${a.criterionId} in (${ids})) as "current",
			(select json_agg(json_build_array(${a.criterionId}, ${a.value}))
				from ${a} where ${a.assessmentId} = (select id from previous) and ${a.criterionId} in (${ids})) as "previous",
			coalesce((select array_agg(${a.criterionId}) from ${a}
				where ${a.assessmentId} = ${access.assessment.id} and ${a.value} is not null), '{}') as "answered",
			(select json_agg(json_build_array(${p.practiceId}, ${p.notApplicable}, ${p.notApplicableReason},
				${p.target}, ${p.score}, ${p.achievedLevel}, ${p.version}))
				from ${p} where ${p.assessmentId} = ${access.assessment.id}) as "practices"`;
}

/**
 * The phase's answers now and last cycle, the practice rows and the assessment's progress, from
 * one statement; kept with the team's data on the embedded database (teams/team-cache.ts), as
 * read into maps and counted, until the team or these assessments change.
 */
async function phaseAnswers(
	db: Database,
	model: Model,
	access: {
		team: { id: string };
		assessment: { id: string };
		cycle: { id: string; startsOn: string };
	},
	phaseId: string,
	criterionIds: readonly string[]
) {
	return keptForTeam(db, `phase:${access.assessment.id}:${phaseId}`, access.team.id, async () => {
		const [row] = rowsOf<PhaseAnswersRow>(
			await db.execute(phaseAnswersQuery(access, criterionIds))
		);
		return {
			value: phaseReadOf(model, row),
			assessments: row?.previousId ? [access.assessment.id, row.previousId] : [access.assessment.id]
		};
	});
}

function phaseReadOf(model: Model, row: PhaseAnswersRow | undefined) {
	const answers = new Map<string, PhaseAnswer>(
		(row?.current ?? []).map(([criterionId, value, comment, evidence, version]) => [
			criterionId,
			{ value, comment, evidence, version }
		])
	);
	const previous = new Map<string, { value: number | null }>(
		(row?.previous ?? []).map(([criterionId, value]) => [criterionId, { value }])
	);
	const practices = new Map<string, StoredPractice>(
		(row?.practices ?? []).map(
			([practiceId, notApplicable, notApplicableReason, target, score, achievedLevel, version]) => [
				practiceId,
				{ practiceId, notApplicable, notApplicableReason, target, score, achievedLevel, version }
			]
		)
	);
	const notApplicable = new Set(
		[...practices.values()].filter((p) => p.notApplicable).map((p) => p.practiceId)
	);
	return {
		previousId: row?.previousId ?? null,
		answers,
		previous,
		practices,
		progress: assessmentProgress(model, new Set(row?.answered ?? []), notApplicable)
	};
}
