import { responsibleParties, type ResponsibleParty } from '$lib/server/db/schema';

export type PartyCounts = Record<ResponsibleParty | 'unrecorded', number>;

/**
 * Per practice: how many teams give it to each party (teams that recorded nothing are
 * "unrecorded"); a silo when the security team alone holds it in more than half of the teams,
 * a gap when any team says nobody owns it.
 */
export function responsibilityFigures(
	practiceIds: readonly string[],
	rows: readonly { practiceId: string; party: ResponsibleParty; teams: number }[],
	teamCount: number
) {
	return practiceIds.map((practiceId) => {
		const counts = Object.fromEntries(
			[...responsibleParties, 'unrecorded'].map((p) => [p, 0])
		) as PartyCounts;
		for (const r of rows) if (r.practiceId === practiceId) counts[r.party] += r.teams;
		const recorded = responsibleParties.reduce((s, p) => s + counts[p], 0);
		counts.unrecorded = Math.max(0, teamCount - recorded);
		return {
			practiceId,
			counts,
			silo: teamCount > 0 && counts.security > teamCount / 2,
			gap: counts.nobody > 0
		};
	});
}
