import { sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { cachedForRevision } from '$lib/server/db/revision';
import { groupOf, type RollUp } from '$lib/server/dashboard/load';
import { teamInScope, type Scope } from '$lib/server/dashboard/scope';
import type { Model } from '$lib/server/model/types';
import { claimTallies, type ClaimTally } from './claims';

/** One row of the dashboard's evidence figure: a unit's (or everyone's) scannable claims. */
export interface ShareRow extends ClaimTally {
	group: string;
	/** Claims of teams whose pipelines never uploaded: nothing to check them against. */
	unchecked: number;
	/** Backed claims, in percent of all claims; null without claims. */
	share: number | null;
}

const row = (group: string, tallies: readonly ClaimTally[]): ShareRow => {
	const sum = (k: keyof ClaimTally) => tallies.reduce((n, t) => n + t[k], 0);
	const claims = sum('claims');
	const backed = sum('backed');
	const contradicted = sum('contradicted');
	return {
		group,
		claims,
		backed,
		contradicted,
		unchecked: claims - backed - contradicted,
		share: claims ? Math.round((backed / claims) * 100) : null
	};
};

/**
 * The share of scannable claims the pipelines back, for every team given and per group (org
 * unit or department), groups by name; a group whose teams claim nothing is left out.
 */
export function evidenceShare(
	teams: readonly { teamId: string; group: string }[],
	tallies: ReadonlyMap<string, ClaimTally>
): { total: ShareRow; groups: ShareRow[] } {
	const byGroup = new Map<string, ClaimTally[]>();
	for (const t of teams) {
		const tally = tallies.get(t.teamId);
		if (!tally) continue;
		byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), tally]);
	}
	return {
		total: row('All teams', [...byGroup.values()].flat()),
		groups: [...byGroup]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([group, tallies]) => row(group, tallies))
	};
}

/**
 * The cycle whose claims the pipelines are checked against: the newest open one, else the newest.
 * Scans say what runs now, so an older cycle's answers are not checked against them.
 */
export function evidenceCycle<C extends { status: 'open' | 'closed' }>(
	cyclesNewestFirst: readonly C[]
): C | null {
	return cyclesNewestFirst.find((c) => c.status === 'open') ?? cyclesNewestFirst[0] ?? null;
}

/**
 * Each active team's claim tally in scope for the cycle, cached per data revision and day (a
 * scan ages out of a rule's window without a write).
 */
export function scopeClaimTallies(
	db: Database,
	model: Model,
	scope: Scope,
	cycle: { id: string },
	revision: string,
	today: string
): Promise<Map<string, ClaimTally>> {
	const key = `dashboard.evidence:${model.version}:${cycle.id}:${scope.unitId}:${today}`;
	return cachedForRevision(db, key, revision, () =>
		claimTallies(
			db,
			model,
			sql`select ${table.team.id} from ${table.team} where ${teamInScope(scope)}`,
			cycle.id
		)
	);
}

/**
 * The dashboard's evidence figure: the share of scannable claims the pipelines back in the open
 * (else latest) cycle, for the teams in view, and per org unit or department for those who see
 * every team. Null without a cycle.
 */
export async function dashboardEvidence(
	db: Database,
	model: Model,
	view: {
		scope: Scope;
		cycles: readonly { id: string; name: string; status: 'open' | 'closed' }[];
		teams: readonly (Parameters<typeof groupOf>[0] & { teamId: string })[];
		rollUp: RollUp;
		seesAll: boolean;
		revision: string;
		today: string;
	}
) {
	const cycle = evidenceCycle(view.cycles);
	if (!cycle) return null;
	const tallies = await scopeClaimTallies(db, model, view.scope, cycle, view.revision, view.today);
	const share = evidenceShare(
		view.teams.map((t) => ({ teamId: t.teamId, group: groupOf(t, view.rollUp).name })),
		tallies
	);
	return {
		cycle: cycle.name,
		total: share.total,
		/** What a row is: an org unit or a department. */
		rollUp: view.rollUp,
		groups: view.seesAll ? share.groups : []
	};
}
