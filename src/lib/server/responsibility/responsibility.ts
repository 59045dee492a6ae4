import { and, eq } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { responsibleParties, type ResponsibleParty } from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import type { ActorContext } from '$lib/server/users/accounts';

export const partyLabels: Record<ResponsibleParty, string> = {
	delivery: 'Delivery team',
	security: 'Security team',
	operations: 'Operations / platform team',
	shared: 'Shared',
	nobody: 'Nobody'
};

/** A team's responsibility rows by practice id. */
export async function listResponsibility(db: Database, teamId: string) {
	const rows = await db
		.select({
			practiceId: table.responsibility.practiceId,
			party: table.responsibility.party,
			accountableUserId: table.responsibility.accountableUserId
		})
		.from(table.responsibility)
		.where(eq(table.responsibility.teamId, teamId));
	return new Map(rows.map((r) => [r.practiceId, r]));
}

export type ResponsibilityResult = { ok: true } | { ok: false; field: string; message: string };

/** Sets who is responsible for a practice in a team; the accountable person must be in the team. */
export async function setResponsibility(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	practiceIds: ReadonlySet<string>,
	input: { practiceId: string; party: ResponsibleParty; accountableUserId: string | null }
): Promise<ResponsibilityResult> {
	if (!practiceIds.has(input.practiceId))
		return { ok: false, field: 'practiceId', message: 'Unknown practice.' };
	if (!responsibleParties.includes(input.party)) {
		return {
			ok: false,
			field: 'party',
			message: 'Choose delivery, security, operations, shared or nobody.'
		};
	}
	return db.transaction(async (tx) => {
		if (input.accountableUserId) {
			const [member] = await tx
				.select({ userId: table.teamMember.userId })
				.from(table.teamMember)
				.where(
					and(
						eq(table.teamMember.teamId, teamId),
						eq(table.teamMember.userId, input.accountableUserId)
					)
				);
			if (!member)
				return {
					ok: false as const,
					field: 'accountableUserId',
					message: 'The accountable person must be a member of this team.'
				};
		}
		const [before] = await tx
			.select({
				party: table.responsibility.party,
				accountableUserId: table.responsibility.accountableUserId
			})
			.from(table.responsibility)
			.where(
				and(
					eq(table.responsibility.teamId, teamId),
					eq(table.responsibility.practiceId, input.practiceId)
				)
			);
		if (
			before &&
			before.party === input.party &&
			before.accountableUserId === input.accountableUserId
		)
			return { ok: true as const };
		const values = {
			party: input.party,
			accountableUserId: input.accountableUserId,
			updatedAt: new Date(),
			updatedBy: ctx.actorId
		};
		await tx
			.insert(table.responsibility)
			.values({ teamId, practiceId: input.practiceId, ...values })
			.onConflictDoUpdate({
				target: [table.responsibility.teamId, table.responsibility.practiceId],
				set: values
			});
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'responsibility.changed',
			targetType: 'practice',
			targetId: input.practiceId,
			teamId,
			detail: {
				from: before ?? null,
				to: { party: input.party, accountableUserId: input.accountableUserId }
			},
			ip: ctx.ip
		});
		return { ok: true as const };
	});
}
