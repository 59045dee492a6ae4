import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { orgUnitSchema, renameOrgUnitSchema } from '$lib/schemas/admin';
import { requirePermission } from '$lib/server/auth/guard';
import {
	createOrgUnit,
	deleteOrgUnit,
	listOrgUnits,
	renameOrgUnit
} from '$lib/server/teams/org-units';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'orgUnits.manage');
	return { units: await listOrgUnits(event.locals.db) };
};

export const actions: Actions = {
	create: async (event) => {
		const me = requirePermission(event, 'orgUnits.manage');
		const parsed = parseForm(orgUnitSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { action: 'create', values: parsed.values }));
		const result = await createOrgUnit(
			event.locals.db,
			{ actorId: me.id, ip: event.locals.ip },
			parsed.data
		);
		if (!result.ok) {
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{
						action: 'create',
						values: {
							name: parsed.data.name,
							kind: parsed.data.kind,
							parentId: parsed.data.parentId ?? ''
						}
					}
				)
			);
		}
		return { action: 'create', notice: `${parsed.data.name} was created.` };
	},
	rename: async (event) => {
		const me = requirePermission(event, 'orgUnits.manage');
		const parsed = parseForm(renameOrgUnitSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { action: 'rename', target: parsed.values.id }));
		const result = await renameOrgUnit(
			event.locals.db,
			{ actorId: me.id, ip: event.locals.ip },
			parsed.data.id,
			parsed.data.name
		);
		if (!result.ok)
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'rename', target: parsed.data.id }
				)
			);
		return { action: 'rename', notice: 'Renamed.' };
	},
	delete: async (event) => {
		const me = requirePermission(event, 'orgUnits.manage');
		const parsed = parseForm(
			z.object({ id: z.uuid({ error: 'Unknown org unit.' }) }),
			await event.request.formData()
		);
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'delete' }));
		const result = await deleteOrgUnit(
			event.locals.db,
			{ actorId: me.id, ip: event.locals.ip },
			parsed.data.id
		);
		if (!result.ok)
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'delete', target: parsed.data.id }
				)
			);
		return { action: 'delete', notice: 'Deleted.' };
	}
};
