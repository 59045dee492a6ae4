import { fail } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { webhookSchema } from '$lib/schemas/chat';
import { requireTeamAccess } from '$lib/server/auth/guard';
import { canOnTeam } from '$lib/server/auth/policy';
import { webhookHosts } from '$lib/server/chat/settings';
import { setWebhook, webhookSummary } from '$lib/server/chat/webhooks';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, team, membership } = await requireTeamAccess(event, event.params.slug, 'view');
	const canManage = canOnTeam(user, membership, 'manageIntegrations');
	return {
		team: { name: team.name, slug: team.slug },
		canManage,
		webhook: canManage ? await webhookSummary(event.locals.db, team.id) : null,
		hosts: webhookHosts()
	};
};

export const actions: Actions = {
	save: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'manageIntegrations');
		const parsed = parseForm(webhookSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors));
		const ctx = { actorId: user.id, ip: event.locals.ip };
		const result = await setWebhook(event.locals.db, ctx, team.id, parsed.data.url);
		if (!result.ok) return fail(400, formFailure({ [result.field]: result.message }));
		return { notice: 'The webhook was saved: the team’s channel will hear from Rampart.' };
	},
	remove: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'manageIntegrations');
		await setWebhook(event.locals.db, { actorId: user.id, ip: event.locals.ip }, team.id, null);
		return { notice: 'The webhook was removed.' };
	}
};
