import { eq, inArray } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Model } from '$lib/server/model/types';
import { listAuditLog } from './audit-log';
import {
	idsByKind,
	nameOf,
	readableDetail,
	targetKind,
	type NameLookup,
	type RecordKind
} from './audit-detail';

type Lookup = (db: Database, ids: string[]) => Promise<{ id: string; name: string }[]>;

/** One query per kind of record, whatever the number of ids. */
const lookups: Record<Exclude<RecordKind, 'practice'>, Lookup> = {
	user: (db, ids) =>
		db
			.select({ id: table.user.id, name: table.user.name })
			.from(table.user)
			.where(inArray(table.user.id, ids)),
	team: (db, ids) =>
		db
			.select({ id: table.team.id, name: table.team.name })
			.from(table.team)
			.where(inArray(table.team.id, ids)),
	cycle: (db, ids) =>
		db
			.select({ id: table.cycle.id, name: table.cycle.name })
			.from(table.cycle)
			.where(inArray(table.cycle.id, ids)),
	org_unit: (db, ids) =>
		db
			.select({ id: table.orgUnit.id, name: table.orgUnit.name })
			.from(table.orgUnit)
			.where(inArray(table.orgUnit.id, ids)),
	assessment: async (db, ids) =>
		(
			await db
				.select({ id: table.assessment.id, team: table.team.name, cycle: table.cycle.name })
				.from(table.assessment)
				.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
				.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
				.where(inArray(table.assessment.id, ids))
		).map((a) => ({ id: a.id, name: `${a.team} · ${a.cycle}` })),
	tool: (db, ids) =>
		db
			.select({ id: table.tool.id, name: table.tool.name })
			.from(table.tool)
			.where(inArray(table.tool.id, ids)),
	// An invitation is known by the address it was sent to.
	invitation: (db, ids) =>
		db
			.select({ id: table.invitation.id, name: table.invitation.email })
			.from(table.invitation)
			.where(inArray(table.invitation.id, ids))
};

/** Names for the ids of each kind: one query per kind present; practices come from the model. */
export async function namesFor(
	db: Database,
	model: Model,
	ids: ReadonlyMap<RecordKind, ReadonlySet<string>>
): Promise<NameLookup> {
	const kinds = [...ids].filter(([, set]) => set.size > 0);
	const found = await Promise.all(
		kinds.map(async ([kind, set]): Promise<[RecordKind, Map<string, string>]> => {
			if (kind === 'practice') {
				const names = [...set].flatMap((id) => {
					const practice = model.practiceById.get(id);
					return practice ? [[id, practice.name] as const] : [];
				});
				return [kind, new Map(names)];
			}
			const rows = await lookups[kind](db, [...set]);
			return [kind, new Map(rows.map((r) => [r.id, r.name]))];
		})
	);
	return new Map(found);
}

/** A record an entry names: its id, and its current name (null when it no longer exists). */
export interface NamedRecord {
	id: string;
	name: string | null;
}

/**
 * One page of the audit log as people read it: targets, teams and ids in the detail shown by
 * their current names (the ids kept beside them), with a fixed number of queries per page.
 */
export async function readableAuditLog(
	db: Database,
	model: Model,
	opts: { before?: number; action?: string } = {}
) {
	const entries = await listAuditLog(db, opts);
	const names = await namesFor(db, model, idsByKind(entries));
	const named = (kind: RecordKind, id: string): NamedRecord => ({
		id,
		name: nameOf(names, kind, id)
	});
	return entries.map((e) => {
		const kind = targetKind(e.targetType);
		return {
			id: e.id,
			at: e.at,
			action: e.action,
			ip: e.ip,
			actorName: e.actorName,
			targetType: e.targetType.replace(/_/g, ' '),
			target: e.targetId ? (kind ? named(kind, e.targetId) : { id: e.targetId, name: null }) : null,
			// The team the change happened in, unless the target already says it (the team
			// itself, or an assessment, named "team · cycle").
			team:
				e.teamId && kind !== 'assessment' && !(kind === 'team' && e.targetId === e.teamId)
					? named('team', e.teamId)
					: null,
			detail: readableDetail(e.detail, names)
		};
	});
}

export type ReadableAuditEntry = Awaited<ReturnType<typeof readableAuditLog>>[number];
