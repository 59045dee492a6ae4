import { desc, eq, lt, and, type SQL } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

export interface AuditEntry {
	actorId: string | null;
	action: string;
	targetType: string;
	targetId?: string | null;
	teamId?: string | null;
	detail?: Record<string, unknown>;
	ip?: string;
}

/** Records who did what to which record; call it inside the transaction that made the change. */
export async function audit(db: Tx, entry: AuditEntry): Promise<void> {
	await auditInsert(db, entry);
}

/** The insert `audit` runs, unrun: to write it together with the change (writeTogether). */
export function auditInsert(db: Tx, entry: AuditEntry) {
	return db.insert(table.auditLog).values({
		actorId: entry.actorId,
		action: entry.action,
		targetType: entry.targetType,
		targetId: entry.targetId ?? null,
		teamId: entry.teamId ?? null,
		detail: entry.detail ?? {},
		ip: entry.ip ?? ''
	});
}

export const AUDIT_PAGE_SIZE = 50;

/** One page of the audit log, newest first, optionally one action only; `before` is the last id seen. */
export async function listAuditLog(db: Database, opts: { before?: number; action?: string } = {}) {
	const filters: SQL[] = [];
	if (opts.before) filters.push(lt(table.auditLog.id, opts.before));
	if (opts.action) filters.push(eq(table.auditLog.action, opts.action));
	return db
		.select({
			id: table.auditLog.id,
			at: table.auditLog.at,
			action: table.auditLog.action,
			targetType: table.auditLog.targetType,
			targetId: table.auditLog.targetId,
			teamId: table.auditLog.teamId,
			detail: table.auditLog.detail,
			ip: table.auditLog.ip,
			actorName: table.user.name,
			actorEmail: table.user.email
		})
		.from(table.auditLog)
		.leftJoin(table.user, eq(table.auditLog.actorId, table.user.id))
		.where(filters.length ? and(...filters) : undefined)
		.orderBy(desc(table.auditLog.id))
		.limit(AUDIT_PAGE_SIZE);
}
