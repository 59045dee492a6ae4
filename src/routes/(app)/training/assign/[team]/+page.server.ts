import { fail } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { assignSchema, removeAssignmentSchema } from '$lib/schemas/training';
import { requireTeamAccess } from '$lib/server/auth/guard';
import { listTeamMembers } from '$lib/server/teams/teams';
import {
	assignModule,
	removeAssignment,
	teamAssignments,
	today
} from '$lib/server/training/assignments';
import { getTraining } from '$lib/server/training/load-training';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { team } = await requireTeamAccess(event, event.params.team, 'manageMembers');
	const training = getTraining();
	const [members, assignments] = await Promise.all([
		listTeamMembers(event.locals.db, team.id),
		teamAssignments(event.locals.db, training, team.id)
	]);
	return {
		team: { name: team.name, slug: team.slug },
		members: members.filter((m) => m.active).map((m) => ({ id: m.userId, name: m.name })),
		modules: training.modules.map((m) => ({ id: m.id, title: m.title })),
		assignments: assignments.map((a) => ({
			id: a.id,
			name: a.name,
			moduleId: a.moduleId,
			moduleTitle: a.moduleTitle,
			dueOn: a.dueOn,
			complete: a.complete,
			overdue: a.overdue
		})),
		today: today()
	};
};

export const actions: Actions = {
	assign: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.team, 'manageMembers');
		const parsed = parseForm(assignSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { action: 'assign', values: parsed.values }));
		const result = await assignModule(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			getTraining(),
			team.id,
			parsed.data
		);
		if (!result.ok) {
			const values = { ...parsed.data };
			return fail(
				400,
				formFailure({ [result.field]: result.message }, { action: 'assign', values })
			);
		}
		return {
			action: 'assign',
			notice: result.updated ? 'The due date was changed.' : 'The module was assigned.'
		};
	},
	remove: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.team, 'manageMembers');
		const parsed = parseForm(removeAssignmentSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'remove' }));
		const result = await removeAssignment(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			team.id,
			parsed.data.assignmentId
		);
		if (!result.ok)
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'remove', target: parsed.data.assignmentId }
				)
			);
		return { action: 'remove', notice: 'The assignment was withdrawn.' };
	}
};
