import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { backToFindings } from '$lib/findings';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { dismissFindingSchema } from '$lib/schemas/integrations';
import { requireTeamAccess } from '$lib/server/auth/guard';
import { canOnTeam } from '$lib/server/auth/policy';
import { dismissFinding, findingSummary, restoreFinding } from '$lib/server/findings/dismiss';
import { teamFindingsPage } from '$lib/server/findings/findings-page';
import type { Actions, PageServerLoad } from './$types';

const findingId = z.uuid();

export const load: PageServerLoad = async (event) => {
	const { user, team, membership } = await requireTeamAccess(event, event.params.slug, 'view');
	const db = event.locals.db;
	// After a dismissal: which finding, so the page can say so and offer to take it back.
	const dismissedId = findingId.safeParse(event.url.searchParams.get('dismissed'));
	const [page, dismissed] = await Promise.all([
		teamFindingsPage(db, team.id, event.url.searchParams),
		dismissedId.success ? findingSummary(db, team.id, dismissedId.data) : null
	]);
	return {
		team: { name: team.name, slug: team.slug, active: team.active },
		canDismiss: canOnTeam(user, membership, 'dismissFindings'),
		dismissed: dismissed?.dismissed ? dismissed : null,
		...page
	};
};

type Event = Parameters<Actions[string]>[0];

/** The team, for one of its members; 404 for a team the user may not see, 403 for a reader. */
async function dismissAccess(event: Event) {
	const { user, team } = await requireTeamAccess(event, event.params.slug!, 'dismissFindings');
	return { team, ctx: { actorId: user.id, ip: event.locals.ip } };
}

export const actions: Actions = {
	dismiss: async (event) => {
		const { team, ctx } = await dismissAccess(event);
		const parsed = parseForm(dismissFindingSchema, await event.request.formData());
		// An id that is not one names no finding of this team.
		if (!parsed.ok && parsed.errors.findingId) error(404, 'This finding does not exist.');
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, {
					action: 'dismiss',
					target: parsed.values.findingId,
					values: parsed.values
				})
			);
		const { findingId: id, reason } = parsed.data;
		if (!(await dismissFinding(event.locals.db, ctx, team.id, id, reason))) {
			const found = await findingSummary(event.locals.db, team.id, id);
			if (!found) error(404, 'This finding does not exist.');
			return fail(
				409,
				formFailure(
					{ form: 'Someone dismissed this finding already: their reason is shown.' },
					{ action: 'dismiss', target: id }
				)
			);
		}
		redirect(303, backToFindings(team.slug, event.url.searchParams, { dismissed: id }));
	},
	restore: async (event) => {
		const { team, ctx } = await dismissAccess(event);
		const parsed = findingId.safeParse((await event.request.formData()).get('findingId'));
		if (!parsed.success) error(404, 'This finding does not exist.');
		if (!(await restoreFinding(event.locals.db, ctx, team.id, parsed.data))) {
			if (!(await findingSummary(event.locals.db, team.id, parsed.data)))
				error(404, 'This finding does not exist.');
			// Taken back already (by someone else, or the notice's button twice): nothing to do.
		}
		redirect(303, backToFindings(team.slug, event.url.searchParams, { anchor: parsed.data }));
	}
};
