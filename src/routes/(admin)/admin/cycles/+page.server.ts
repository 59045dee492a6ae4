import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { cycleSchema } from '$lib/schemas/assessment';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { requirePermission } from '$lib/server/auth/guard';
import { listCycles, openCycle, setCycleStatus } from '$lib/server/assessments/cycles';
import { getModel } from '$lib/server/model/load-model';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'cycles.manage');
	return { cycles: await listCycles(event.locals.db) };
};

const statusSchema = z.object({ cycleId: z.uuid({ error: 'Unknown cycle.' }) });

export const actions: Actions = {
	open: async (event) => {
		const me = requirePermission(event, 'cycles.manage');
		const parsed = parseForm(cycleSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { action: 'open', values: parsed.values }));
		const result = await openCycle(
			event.locals.db,
			{ actorId: me.id, ip: event.locals.ip },
			getModel(),
			parsed.data
		);
		if (!result.ok)
			return fail(
				400,
				formFailure({ [result.field]: result.message }, { action: 'open', values: parsed.data })
			);
		return {
			action: 'open',
			notice: `${parsed.data.name} is open: every active team has a draft assessment.`
		};
	},
	close: async (event) => statusAction(event, 'closed'),
	reopen: async (event) => statusAction(event, 'open')
};

async function statusAction(event: Parameters<Actions[string]>[0], status: 'open' | 'closed') {
	const me = requirePermission(event, 'cycles.manage');
	const parsed = parseForm(statusSchema, await event.request.formData());
	if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: status }));
	const result = await setCycleStatus(
		event.locals.db,
		{ actorId: me.id, ip: event.locals.ip },
		parsed.data.cycleId,
		status
	);
	if (!result.ok)
		return fail(400, formFailure({ [result.field]: result.message }, { action: status }));
	return {
		action: status,
		notice:
			status === 'closed'
				? 'The cycle is closed; its assessments are read-only.'
				: 'The cycle is open again.'
	};
}
