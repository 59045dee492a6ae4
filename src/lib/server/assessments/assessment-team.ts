import { eq } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

/** An assessment's team and cycle by name, for the messages about it (email, chat); null if gone. */
export async function assessmentTeam(tx: Tx, assessmentId: string) {
	const [row] = await tx
		.select({
			teamId: table.team.id,
			teamName: table.team.name,
			teamSlug: table.team.slug,
			cycleName: table.cycle.name
		})
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.where(eq(table.assessment.id, assessmentId));
	return row ?? null;
}
