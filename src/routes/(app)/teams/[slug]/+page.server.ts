import { fail } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { addMemberSchema, updateMemberSchema, userIdSchema } from '$lib/schemas/admin';
import { requireTeamAccess } from '$lib/server/auth/guard';
import { canOnTeam } from '$lib/server/auth/policy';
import { addTeamMember, removeTeamMember, updateTeamMember } from '$lib/server/teams/members';
import { readTeamPage } from '$lib/server/teams/team-page';
import { pictureOf } from '$lib/server/assessments/team-picture';
import { getModel } from '$lib/server/model/load-model';
import { planSummaryOf } from '$lib/server/plan/read';
import { today } from '$lib/server/plan/rules';
import { onDuty as dutyOf } from '$lib/server/responsibility/rota';
import { toolsUsedForPractices } from '$lib/server/tools/report';
import { getTraining } from '$lib/server/training/load-training';
import { progressOf } from '$lib/server/training/progress';
import { championsProgressOf } from '$lib/server/training/report';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, team, membership } = await requireTeamAccess(event, event.params.slug, 'view');
	const db = event.locals.db;
	const model = getModel();
	const rows = await readTeamPage(db, team.id);
	const { members, assessments, unit } = rows;
	const picture = pictureOf(model, assessments, {
		practices: rows.practices,
		phases: rows.phases,
		answers: new Map(rows.answers)
	});
	// Champions are active members of an active team (as the training report counts them).
	const training = getTraining();
	const champions = championsProgressOf(
		training,
		team.active ? members.filter((m) => m.champion && m.active) : [],
		progressOf(training, rows.lessons, rows.quizzes)
	);
	const toolHints = await toolsUsedForPractices(
		db,
		picture?.nextSteps.map((s) => s.id) ?? [],
		team.id,
		rows.ownTools
	);
	const newest = assessments[0] ?? null;
	const plan = planSummaryOf(
		model,
		rows.plan,
		newest
			? {
					practices: new Map(
						rows.practices.filter((p) => p.assessmentId === newest.id).map((p) => [p.practiceId, p])
					),
					answers: new Map(rows.answers)
				}
			: null,
		newest
	);
	const onDuty = rows.rota
		? dutyOf({ ...rows.rota, swaps: new Map(rows.rota.swaps) }, today())
		: undefined;
	const nameOf = (userId?: string) => members.find((m) => m.userId === userId)?.name ?? null;
	return {
		team: { name: team.name, slug: team.slug, description: team.description, active: team.active },
		onDuty: onDuty
			? {
					now: nameOf(onDuty.now?.userId),
					until: onDuty.now?.end ?? null,
					next: nameOf(onDuty.next?.userId),
					from: onDuty.next?.start ?? null
				}
			: null,
		toolHints: Object.fromEntries(toolHints),
		unit,
		members,
		membership,
		picture,
		assessments,
		champions,
		plan: { ...plan, canEdit: canOnTeam(user, membership, 'editPlan') },
		canManageMembers: canOnTeam(user, membership, 'manageMembers')
	};
};

const ctxOf = (event: Parameters<Actions[string]>[0], actorId: string) => ({
	actorId,
	ip: event.locals.ip
});

export const actions: Actions = {
	addMember: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'manageMembers');
		const parsed = parseForm(addMemberSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { action: 'addMember', values: parsed.values }));
		const result = await addTeamMember(
			event.locals.db,
			ctxOf(event, user.id),
			team.id,
			parsed.data
		);
		if (!result.ok) {
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'addMember', values: { email: parsed.data.email } }
				)
			);
		}
		return { action: 'addMember', notice: `${parsed.data.email} was added.` };
	},
	updateMember: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'manageMembers');
		const parsed = parseForm(updateMemberSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'updateMember' }));
		const result = await updateTeamMember(
			event.locals.db,
			ctxOf(event, user.id),
			team.id,
			parsed.data
		);
		if (!result.ok) {
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'updateMember', target: parsed.data.userId }
				)
			);
		}
		return { action: 'updateMember', notice: 'Member updated.' };
	},
	removeMember: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'manageMembers');
		const parsed = parseForm(userIdSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'removeMember' }));
		const result = await removeTeamMember(
			event.locals.db,
			ctxOf(event, user.id),
			team.id,
			parsed.data.userId
		);
		if (!result.ok) {
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'removeMember', target: parsed.data.userId }
				)
			);
		}
		return { action: 'removeMember', notice: 'Member removed.' };
	}
};
