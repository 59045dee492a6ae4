import { fail } from '@sveltejs/kit';
import { asc, sql } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { toolIdSchema, toolSchema } from '$lib/schemas/tools';
import { requirePermission } from '$lib/server/auth/guard';
import { addTool, setToolRetired, updateTool } from '$lib/server/tools/manage';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'tools.manage');
	const [tools, categories] = await Promise.all([
		event.locals.db
			.select({
				id: table.tool.id,
				name: table.tool.name,
				categoryId: table.tool.categoryId,
				homepage: table.tool.homepage,
				licence: table.tool.licence,
				description: table.tool.description,
				source: table.tool.source,
				retired: sql<boolean>`${table.tool.retiredAt} is not null`
			})
			.from(table.tool)
			.orderBy(asc(table.tool.name)),
		event.locals.db
			.select({ id: table.toolCategory.id, name: table.toolCategory.name })
			.from(table.toolCategory)
			.orderBy(asc(table.toolCategory.name))
	]);
	const editing = tools.find((t) => t.id === event.url.searchParams.get('edit')) ?? null;
	return { tools, categories, editing };
};

const ctx = (event: { locals: App.Locals }, actorId: string) => ({ actorId, ip: event.locals.ip });

export const actions: Actions = {
	add: async (event) => {
		const me = requirePermission(event, 'tools.manage');
		const parsed = parseForm(toolSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { action: 'add', values: parsed.values }));
		const result = await addTool(event.locals.db, ctx(event, me.id), parsed.data);
		if (!result.ok)
			return fail(
				400,
				formFailure({ [result.field]: result.message }, { action: 'add', values: parsed.data })
			);
		return { action: 'add', notice: `${parsed.data.name} was added.` };
	},
	update: async (event) => {
		const me = requirePermission(event, 'tools.manage');
		const parsed = parseForm(toolSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(
				400,
				formFailure(parsed.errors, { action: 'update', target: parsed.values.id ?? '' })
			);
		const result = await updateTool(event.locals.db, ctx(event, me.id), parsed.data);
		if (!result.ok)
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'update', target: parsed.data.id }
				)
			);
		return { action: 'update', notice: `${parsed.data.name} was saved.` };
	},
	retire: async (event) => retire(event, true),
	restore: async (event) => retire(event, false)
};

async function retire(event: Parameters<Actions[string]>[0], retired: boolean) {
	const me = requirePermission(event, 'tools.manage');
	const parsed = parseForm(toolIdSchema, await event.request.formData());
	if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'retire' }));
	const result = await setToolRetired(event.locals.db, ctx(event, me.id), parsed.data.id, retired);
	if (!result.ok)
		return fail(400, formFailure({ [result.field]: result.message }, { action: 'retire' }));
	return {
		action: 'retire',
		notice: retired
			? 'The tool is retired; its history stays.'
			: 'The tool is back in the catalogue.'
	};
}
