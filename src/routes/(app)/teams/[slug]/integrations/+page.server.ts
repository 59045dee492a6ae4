import { fail } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import {
	DEFAULT_TOKEN_EXPIRY_DAYS,
	newTokenSchema,
	repositorySettingsSchema,
	TOKEN_EXPIRY_DAYS,
	tokenIdSchema
} from '$lib/schemas/integrations';
import { requireTeamAccess } from '$lib/server/auth/guard';
import { canOnTeam } from '$lib/server/auth/policy';
import { listRepositories, updateRepository } from '$lib/server/integrations/repositories';
import { createToken, listTokens, revokeToken } from '$lib/server/integrations/tokens';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, team, membership } = await requireTeamAccess(event, event.params.slug, 'view');
	const canManage = canOnTeam(user, membership, 'manageIntegrations');
	const [tokens, repositories] = await Promise.all([
		canManage ? listTokens(event.locals.db, team.id) : Promise.resolve([]),
		listRepositories(event.locals.db, team.id)
	]);
	return {
		team: { name: team.name, slug: team.slug, active: team.active },
		apiBase: `${event.url.origin}/api/v1`,
		canManage,
		tokens,
		repositories,
		expiries: TOKEN_EXPIRY_DAYS.toSorted((a, b) => a - b),
		defaultExpiry: DEFAULT_TOKEN_EXPIRY_DAYS,
		now: new Date()
	};
};

export const actions: Actions = {
	createToken: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'manageIntegrations');
		const parsed = parseForm(newTokenSchema, await event.request.formData());
		if (!team.active)
			return fail(
				400,
				formFailure(
					{ form: 'This team is archived: its tokens would not work.' },
					{ action: 'createToken' }
				)
			);
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, { action: 'createToken', values: parsed.values })
			);
		const made = await createToken(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			team.id,
			parsed.data
		);
		return {
			action: 'createToken',
			created: {
				name: parsed.data.name,
				token: made.token,
				scopes: parsed.data.scopes,
				expiresAt: made.expiresAt
			}
		};
	},
	revokeToken: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'manageIntegrations');
		const parsed = parseForm(tokenIdSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'revokeToken' }));
		const revoked = await revokeToken(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			team.id,
			parsed.data.tokenId
		);
		if (!revoked)
			return fail(
				400,
				formFailure(
					{ form: 'This token is already revoked, or is not one of this team’s.' },
					{ action: 'revokeToken', target: parsed.data.tokenId }
				)
			);
		return {
			action: 'revokeToken',
			notice: 'The token is revoked: pipelines using it are refused from now on.'
		};
	},
	saveRepository: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'manageIntegrations');
		const form = await event.request.formData();
		const parsed = parseForm(repositorySettingsSchema, form);
		const target = String(form.get('repositoryId') ?? '');
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, { action: 'saveRepository', target, values: parsed.values })
			);
		const saved = await updateRepository(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			team.id,
			parsed.data
		);
		if (!saved)
			return fail(
				400,
				formFailure(
					{ form: 'This repository is not one of this team’s.' },
					{ action: 'saveRepository', target }
				)
			);
		return { action: 'saveRepository', target, notice: 'The repository is saved.' };
	}
};
