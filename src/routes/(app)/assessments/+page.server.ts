import { requireUser } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth/policy';
import { cycleAssessments } from '$lib/server/assessments/assessments';
import { listReviewQueue } from '$lib/server/assessments/review';
import { currentCycle } from '$lib/server/assessments/cycles';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const cycle = await currentCycle(event.locals.db);
	const reviewer = can(user, 'assessments.review');
	return {
		cycle: cycle ? { name: cycle.name, status: cycle.status, dueOn: cycle.dueOn } : null,
		assessments: cycle ? await cycleAssessments(event.locals.db, cycle.id, user) : [],
		queue: reviewer ? await listReviewQueue(event.locals.db, user) : null,
		canManageCycles: can(user, 'cycles.manage')
	};
};
