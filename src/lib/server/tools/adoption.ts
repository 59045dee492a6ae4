import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { adoptionStates, type AdoptionState } from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import type { ActorContext } from '$lib/server/users/accounts';

export interface AdoptionInput {
	toolId: string;
	state: AdoptionState;
	since: string | null;
	/** Left out when a tool is added from the search: the note it had stays. */
	note?: string;
}

export type AdoptionResult = { ok: true } | { ok: false; field: string; message: string };

/**
 * Every active tool by category with this team's adoption (retired tools the team still records
 * stay listed); with `inUseOnly`, only the tools the team records in a state other than not used.
 */
export async function listTeamAdoption(db: Database, teamId: string, { inUseOnly = false } = {}) {
	const listed = inUseOnly
		? sql`${table.toolAdoption.state} <> 'not_used'`
		: sql`${table.tool.retiredAt} is null or ${table.toolAdoption.state} is not null`;
	return db
		.select({
			toolId: table.tool.id,
			name: table.tool.name,
			categoryId: table.tool.categoryId,
			category: table.toolCategory.name,
			retired: sql<boolean>`${table.tool.retiredAt} is not null`,
			state: table.toolAdoption.state,
			since: table.toolAdoption.since,
			note: table.toolAdoption.note
		})
		.from(table.tool)
		.innerJoin(table.toolCategory, eq(table.toolCategory.id, table.tool.categoryId))
		.leftJoin(
			table.toolAdoption,
			and(eq(table.toolAdoption.toolId, table.tool.id), eq(table.toolAdoption.teamId, teamId))
		)
		.where(listed)
		.orderBy(asc(table.toolCategory.name), asc(table.tool.name));
}

/** How many tools the catalogue offers (retired ones left out). */
export function countActiveTools(db: Database) {
	return db.$count(table.tool, isNull(table.tool.retiredAt));
}

/** Records how far a team has taken a tool; unknown tools and states are refused and nothing changes. */
export async function setAdoption(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	input: AdoptionInput
): Promise<AdoptionResult> {
	if (!adoptionStates.includes(input.state)) {
		return {
			ok: false,
			field: 'state',
			message: 'Choose not used, evaluating, adopted or enforced.'
		};
	}
	return db.transaction(async (tx) => {
		const [known] = await tx
			.select({ id: table.tool.id })
			.from(table.tool)
			.where(and(eq(table.tool.id, input.toolId), isNull(table.tool.retiredAt)));
		if (!known) return { ok: false as const, field: 'toolId', message: 'Unknown or retired tool.' };
		const [before] = await tx
			.select({
				state: table.toolAdoption.state,
				since: table.toolAdoption.since,
				note: table.toolAdoption.note
			})
			.from(table.toolAdoption)
			.where(
				and(eq(table.toolAdoption.teamId, teamId), eq(table.toolAdoption.toolId, input.toolId))
			);
		const since = input.since ?? (before?.state === input.state ? before.since : null);
		const note = input.note ?? before?.note ?? '';
		if (before && before.state === input.state && before.since === since && before.note === note) {
			return { ok: true as const };
		}
		const values = {
			state: input.state,
			since,
			note,
			updatedAt: new Date(),
			updatedBy: ctx.actorId
		};
		await tx
			.insert(table.toolAdoption)
			.values({ teamId, toolId: input.toolId, ...values })
			.onConflictDoUpdate({
				target: [table.toolAdoption.teamId, table.toolAdoption.toolId],
				set: values
			});
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'tool.adoption_changed',
			targetType: 'tool',
			targetId: input.toolId,
			teamId,
			detail: { from: before ?? null, to: { state: input.state, since, note } },
			ip: ctx.ip
		});
		return { ok: true as const };
	});
}

/** Freezes every team's adoption as the cycle closes, replacing an earlier snapshot of that cycle. */
export async function snapshotAdoption(
	tx: Parameters<Parameters<Database['transaction']>[0]>[0],
	cycleId: string
) {
	await tx.delete(table.adoptionSnapshot).where(eq(table.adoptionSnapshot.cycleId, cycleId));
	await tx.execute(sql`
		insert into ${table.adoptionSnapshot} (cycle_id, team_id, tool_id, state)
		select ${cycleId}, a.team_id, a.tool_id, a.state
		from ${table.toolAdoption} a join ${table.team} t on t.id = a.team_id
		where t.active and a.state <> 'not_used'`);
}
