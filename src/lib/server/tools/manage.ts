import { eq } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { isUniqueViolation } from '$lib/server/db/errors';
import type { ActorContext } from '$lib/server/users/accounts';

export interface ToolInput {
	id: string;
	name: string;
	categoryId: string;
	homepage: string;
	licence: 'open-source' | 'commercial';
	description: string;
}

export type ToolResult = { ok: true } | { ok: false; field: string; message: string };

async function categoryExists(db: Database, id: string) {
	const [row] = await db
		.select({ id: table.toolCategory.id })
		.from(table.toolCategory)
		.where(eq(table.toolCategory.id, id));
	return !!row;
}

/** Adds a tool of the organisation's own to the catalogue. */
export async function addTool(
	db: Database,
	ctx: ActorContext,
	input: ToolInput
): Promise<ToolResult> {
	if (!(await categoryExists(db, input.categoryId)))
		return { ok: false, field: 'categoryId', message: 'Choose a category from the list.' };
	try {
		await db.transaction(async (tx) => {
			await tx.insert(table.tool).values({ ...input, source: 'custom' });
			await audit(tx, {
				actorId: ctx.actorId,
				action: 'tool.added',
				targetType: 'tool',
				targetId: input.id,
				detail: { ...input },
				ip: ctx.ip
			});
		});
		return { ok: true };
	} catch (e) {
		if (isUniqueViolation(e))
			return { ok: false, field: 'id', message: 'A tool with this id exists.' };
		throw e;
	}
}

/** Edits a tool's name, category, homepage, licence and description. */
export async function updateTool(
	db: Database,
	ctx: ActorContext,
	input: ToolInput
): Promise<ToolResult> {
	if (!(await categoryExists(db, input.categoryId)))
		return { ok: false, field: 'categoryId', message: 'Choose a category from the list.' };
	return db.transaction(async (tx) => {
		const { id, ...rest } = input;
		const updated = await tx
			.update(table.tool)
			.set(rest)
			.where(eq(table.tool.id, id))
			.returning({ id: table.tool.id });
		if (!updated.length) return { ok: false as const, field: 'id', message: 'Unknown tool.' };
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'tool.updated',
			targetType: 'tool',
			targetId: id,
			detail: rest,
			ip: ctx.ip
		});
		return { ok: true as const };
	});
}

/** Retires a tool (teams can no longer pick it; its history stays) or brings it back. */
export async function setToolRetired(
	db: Database,
	ctx: ActorContext,
	id: string,
	retired: boolean
): Promise<ToolResult> {
	return db.transaction(async (tx) => {
		const updated = await tx
			.update(table.tool)
			.set({ retiredAt: retired ? new Date() : null })
			.where(eq(table.tool.id, id))
			.returning({ id: table.tool.id });
		if (!updated.length) return { ok: false as const, field: 'id', message: 'Unknown tool.' };
		await audit(tx, {
			actorId: ctx.actorId,
			action: retired ? 'tool.retired' : 'tool.restored',
			targetType: 'tool',
			targetId: id,
			ip: ctx.ip
		});
		return { ok: true as const };
	});
}
