import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';

/**
 * A team dismisses one of its findings with a reason (a false positive, a risk it accepts): it
 * is no longer counted as open, stays visible with the reason to the team and the security
 * team, and keeps its history. False when the team has no such finding not yet dismissed.
 */
export async function dismissFinding(
	db: Database,
	ctx: { actorId: string; ip: string },
	teamId: string,
	findingId: string,
	reason: string,
	now = new Date()
): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(table.finding)
			.set({ dismissedAt: now, dismissedBy: ctx.actorId, dismissedReason: reason })
			.where(
				and(
					eq(table.finding.id, findingId),
					eq(table.finding.teamId, teamId),
					isNull(table.finding.dismissedAt)
				)
			)
			.returning({ ruleId: table.finding.ruleId, path: table.finding.path });
		if (!row) return false;
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'finding.dismissed',
			targetType: 'finding',
			targetId: findingId,
			teamId,
			detail: { reason, ruleId: row.ruleId, path: row.path },
			ip: ctx.ip
		});
		return true;
	});
}

/** Takes a dismissal back: the finding counts as open again while it is reported. False when the team has no such dismissed finding. */
export async function restoreFinding(
	db: Database,
	ctx: { actorId: string; ip: string },
	teamId: string,
	findingId: string
): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(table.finding)
			.set({ dismissedAt: null, dismissedBy: null, dismissedReason: null })
			.where(
				and(
					eq(table.finding.id, findingId),
					eq(table.finding.teamId, teamId),
					isNotNull(table.finding.dismissedAt)
				)
			)
			.returning({ ruleId: table.finding.ruleId });
		if (!row) return false;
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'finding.restored',
			targetType: 'finding',
			targetId: findingId,
			teamId,
			detail: { ruleId: row.ruleId },
			ip: ctx.ip
		});
		return true;
	});
}

/** One of the team's findings as a page names it (after a dismissal); null when the team has none with this id. */
export async function findingSummary(db: Database, teamId: string, findingId: string) {
	const [row] = await db
		.select({
			id: table.finding.id,
			ruleId: table.finding.ruleId,
			ruleName: table.finding.ruleName,
			dismissed: sql<boolean>`${table.finding.dismissedAt} is not null`
		})
		.from(table.finding)
		.where(and(eq(table.finding.id, findingId), eq(table.finding.teamId, teamId)));
	return row ?? null;
}
