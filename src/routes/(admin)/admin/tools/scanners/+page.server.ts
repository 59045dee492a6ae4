import { fail } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { scannerMappingSchema, scannerNameSchema } from '$lib/schemas/tools';
import { requirePermission } from '$lib/server/auth/guard';
import {
	mappableTools,
	mapScanner,
	scannerMappings,
	unmapScanner,
	unmappedScanners
} from '$lib/server/tools/scanner-names';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'scanners.map');
	const [unmapped, mappings, tools] = await Promise.all([
		unmappedScanners(event.locals.db),
		scannerMappings(event.locals.db),
		mappableTools(event.locals.db)
	]);
	return { unmapped, mappings, tools };
};

export const actions: Actions = {
	map: async (event) => {
		const me = requirePermission(event, 'scanners.map');
		const parsed = parseForm(scannerMappingSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, { action: 'map', target: parsed.values.scanner })
			);
		const result = await mapScanner(
			event.locals.db,
			{ actorId: me.id, ip: event.locals.ip },
			parsed.data
		);
		if (!result.ok)
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'map', target: parsed.data.scanner, values: { toolId: parsed.data.toolId } }
				)
			);
		return {
			action: 'map',
			notice: `“${parsed.data.scanner}” is now ${result.toolName}: its past and future scans count as that tool.`
		};
	},
	unmap: async (event) => {
		const me = requirePermission(event, 'scanners.map');
		const parsed = parseForm(scannerNameSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'unmap' }));
		const result = await unmapScanner(
			event.locals.db,
			{ actorId: me.id, ip: event.locals.ip },
			parsed.data.scanner
		);
		if (!result.ok)
			return fail(
				400,
				formFailure({ form: result.message }, { action: 'unmap', target: parsed.data.scanner })
			);
		return { action: 'unmap', notice: `“${parsed.data.scanner}” is no longer mapped.` };
	}
};
