import { eq } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import type { ActorContext } from '$lib/server/users/accounts';

/** A cycle's executive summary (markdown), who saved it last and when. */
export async function readSummary(db: Database, cycleId: string) {
	const [row] = await db
		.select({
			text: table.cycle.summary,
			updatedAt: table.cycle.summaryUpdatedAt,
			updatedBy: table.user.name
		})
		.from(table.cycle)
		.leftJoin(table.user, eq(table.user.id, table.cycle.summaryUpdatedBy))
		.where(eq(table.cycle.id, cycleId));
	return row ?? null;
}

/** How a saved summary is named in a form: its save time, or '' when it was never saved. */
export const summaryStamp = (updatedAt: Date | null) => updatedAt?.toISOString() ?? '';

export type SaveSummaryResult =
	{ ok: true; changed: boolean } | { ok: false; kind: 'conflict'; current: string; stamp: string };

/** Audit detail: what the summary said, cut short (the log is not the place for whole texts). */
const excerpt = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/**
 * Saves a cycle's executive summary, unless it was saved again since the version the editor
 * started from (`seen`, a summaryStamp): then nothing is written and the current text returned.
 */
export async function saveSummary(
	db: Database,
	ctx: ActorContext,
	cycleId: string,
	text: string,
	seen: string
): Promise<SaveSummaryResult> {
	return db.transaction(async (tx) => {
		const [stored] = await tx
			.select({ text: table.cycle.summary, updatedAt: table.cycle.summaryUpdatedAt })
			.from(table.cycle)
			.where(eq(table.cycle.id, cycleId))
			.for('update');
		if (!stored) throw new Error(`No cycle ${cycleId}`);
		if (summaryStamp(stored.updatedAt) !== seen)
			return {
				ok: false as const,
				kind: 'conflict' as const,
				current: stored.text,
				stamp: summaryStamp(stored.updatedAt)
			};
		if (stored.text === text) return { ok: true as const, changed: false };
		// Milliseconds, as the stamp in the form carries them (the row is locked above).
		await tx
			.update(table.cycle)
			.set({ summary: text, summaryUpdatedAt: new Date(), summaryUpdatedBy: ctx.actorId })
			.where(eq(table.cycle.id, cycleId));
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'cycle.summary_changed',
			targetType: 'cycle',
			targetId: cycleId,
			detail: {
				from: { summary: excerpt(stored.text) },
				to: { summary: excerpt(text) },
				length: text.length
			},
			ip: ctx.ip
		});
		return { ok: true as const, changed: true };
	});
}
