import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { optionalKinds, type OptionalKind } from './kinds';

/** The kinds of email a person receives (everything they have not turned off). */
export async function receivedKinds(db: Database, userId: string): Promise<Set<OptionalKind>> {
	const off = await db
		.select({ kind: table.notificationOptOut.kind })
		.from(table.notificationOptOut)
		.where(eq(table.notificationOptOut.userId, userId));
	const offKinds = new Set(off.map((o) => o.kind));
	return new Set(optionalKinds.filter((k) => !offKinds.has(k)));
}

/** Saves which kinds a person receives: every kind not in `receive` is turned off. */
export async function saveReceivedKinds(
	db: Database,
	ctx: { actorId: string; ip: string },
	receive: ReadonlySet<OptionalKind>
): Promise<void> {
	const off = optionalKinds.filter((k) => !receive.has(k));
	await db.transaction(async (tx) => {
		await tx
			.delete(table.notificationOptOut)
			.where(
				and(
					eq(table.notificationOptOut.userId, ctx.actorId),
					inArray(table.notificationOptOut.kind, [...optionalKinds])
				)
			);
		if (off.length)
			await tx
				.insert(table.notificationOptOut)
				.values(off.map((kind) => ({ userId: ctx.actorId, kind })));
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'account.notifications_changed',
			targetType: 'user',
			targetId: ctx.actorId,
			detail: { off },
			ip: ctx.ip
		});
	});
}
