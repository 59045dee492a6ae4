import { fail } from '@sveltejs/kit';
import { addToolSchema, adoptionSchema, toolSearchSchema } from '$lib/schemas/tools';
import { pick } from '$lib/schemas/assessment';
import { formFailure, parseForm, type FieldErrors } from '$lib/schemas/parse';
import { requireTeamAccess } from '$lib/server/auth/guard';
import { can, canOnTeam } from '$lib/server/auth/policy';
import { countActiveTools, listTeamAdoption, setAdoption } from '$lib/server/tools/adoption';
import { searchCatalogue } from '$lib/server/tools/search';
import { teamToolEvidence } from '$lib/server/evidence/tools';
import { getModel } from '$lib/server/model/load-model';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, team, membership } = await requireTeamAccess(event, event.params.slug, 'view');
	const db = event.locals.db;
	// `?all` lists the whole catalogue; otherwise the tools the team uses, and a search to add one.
	const showAll = event.url.searchParams.has('all');
	const query = toolSearchSchema.safeParse(event.url.searchParams.get('q') ?? '');
	const q = query.success ? query.data : '';
	const [tools, catalogueSize, search, pipeline] = await Promise.all([
		listTeamAdoption(db, team.id, { inUseOnly: !showAll }),
		countActiveTools(db),
		q ? searchCatalogue(db, team.id, q) : Promise.resolve(null),
		teamToolEvidence(db, getModel(), team.id)
	]);
	return {
		team: { name: team.name, slug: team.slug },
		tools,
		showAll,
		catalogueSize,
		search: {
			q: query.success ? q : (event.url.searchParams.get('q') ?? ''),
			error: query.success ? null : query.error.issues[0]!.message,
			result: search
		},
		editable: canOnTeam(user, membership, 'edit'),
		canMapScanners: can(user, 'scanners.map'),
		/** Each tool that ran in a pipeline or is recorded as enforced, against the scans. */
		pipeline
	};
};

const fields = ['toolId', 'state', 'since', 'note'] as const;

export const actions: Actions = {
	/** One row, saved as you go. */
	setAdoption: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'edit');
		const parsed = parseForm(adoptionSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, { action: 'setAdoption', target: parsed.values.toolId ?? '' })
			);
		const result = await setAdoption(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			team.id,
			parsed.data
		);
		if (!result.ok)
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'setAdoption', target: parsed.data.toolId }
				)
			);
		return { action: 'setAdoption', target: parsed.data.toolId };
	},
	/** A tool found in the catalogue search starts to be recorded; its note and date stay as they were. */
	add: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'edit');
		const parsed = parseForm(addToolSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, { action: 'add', target: parsed.values.toolId ?? '' })
			);
		const result = await setAdoption(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			team.id,
			{ toolId: parsed.data.toolId, state: parsed.data.state, since: null }
		);
		if (!result.ok)
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'add', target: parsed.data.toolId }
				)
			);
		return { action: 'add', target: parsed.data.toolId, added: parsed.data.state };
	},
	/** Every row at once: the form without JavaScript (unchanged rows write nothing). */
	saveAll: async (event) => {
		const { user, team } = await requireTeamAccess(event, event.params.slug, 'edit');
		const form = await event.request.formData();
		const errors: FieldErrors = {};
		for (const toolId of form.getAll('toolId').map(String)) {
			const parsed = parseForm(adoptionSchema, pick(form, toolId, fields));
			if (!parsed.ok) {
				errors[toolId] = Object.values(parsed.errors)[0]!;
				continue;
			}
			const result = await setAdoption(
				event.locals.db,
				{ actorId: user.id, ip: event.locals.ip },
				team.id,
				parsed.data
			);
			if (!result.ok) errors[toolId] = result.message;
		}
		if (Object.keys(errors).length) return fail(400, formFailure(errors, { action: 'saveAll' }));
		return { action: 'saveAll', notice: 'Tool adoption saved.' };
	}
};
