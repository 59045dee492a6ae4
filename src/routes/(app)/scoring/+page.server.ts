import { requireUser } from '$lib/server/auth/guard';
import {
	ACHIEVED_THRESHOLD,
	scorePhase,
	scorePractice,
	scoreTeam,
	spread
} from '$lib/server/assessments/scoring';
import type { PageServerLoad } from './$types';

/** The worked example is computed by the same module that scores real assessments. */
export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const levels = [
		{ criteria: [{ id: 'a' }, { id: 'b' }] },
		{ criteria: [{ id: 'c' }, { id: 'd' }, { id: 'e' }] },
		{ criteria: [{ id: 'f' }, { id: 'g' }] },
		{ criteria: [{ id: 'h' }, { id: 'i' }] }
	];
	const answers = new Map<string, number>([
		['a', 1],
		['b', 0.5],
		['c', 1],
		['d', 0.5],
		['e', 0.25],
		['f', 1],
		['g', 1]
	]);
	const practice = scorePractice(levels, answers);
	const phase = scorePhase([
		{ score: practice.score, notApplicable: false },
		{ score: 2.5, notApplicable: false },
		{ score: 0, notApplicable: true }
	]);
	const team = scoreTeam([phase, 1.5, 2, 2.25, 1, 0.75]);
	return {
		threshold: ACHIEVED_THRESHOLD,
		example: { answers: Object.fromEntries(answers), practice, phase, team },
		org: spread([team, 1.2, 2.6, 0.9, 1.8])
	};
};
