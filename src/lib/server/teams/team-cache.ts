import type { Database } from '$lib/server/db';

/**
 * What the embedded database has answered about one team, kept until what it was read from
 * changes: the team page's rows (team-page.ts), the phase form's (assessments/phase-form.ts), a
 * reviewer's workspace and the claims the pipelines are checked against (review-workspace.ts,
 * evidence/claims.ts) and the team and assessment access checks (auth/guard.ts). Each of those
 * statements costs 0.15 to 1.5 ms of CPU at 500 teams, and none has a part that dominates, so
 * it is not run again while the team's data stays the same. Triggers on every table they read
 * notify `team_change` (migrations 0019 to 0022) with the team whose data changed (every entry
 * of the team goes), the assessment whose answers, practice or phase rows or questions changed
 * (`a:<id>`: the entries that show it go), or `*`. PGlite delivers a notification as the write
 * commits, before the writer's code goes on (and none on rollback), so a view after a write
 * never shows what was there before it.
 *
 * Only for the embedded database: its data directory is this process's alone. On PostgreSQL
 * other instances write too, so every view reads (followTeamChanges is never called and
 * `teamCacheOf` answers undefined).
 */
export class TeamCache {
	/** Entries by key, oldest first, with their team and the assessments they show. */
	readonly #entries = new Map<
		string,
		{ teamId: string; value: unknown; assessments: readonly string[] }
	>();
	/** The keys of each team's entries, and the assessments they show. */
	readonly #ofTeam = new Map<string, { keys: Set<string>; assessments: Set<string> }>();
	/** The team of each kept entry's assessments (`a:` notifications name the assessment). */
	readonly #teamOfAssessment = new Map<string, string>();
	/** Moves on every notification: a read that began before one is not kept. */
	#generation = 0;
	readonly #limit: number;

	/**
	 * A team page's rows take about 40 KB of heap at 500 teams (~220 answers, practice and phase
	 * rows, plan items), a workspace less (changed criteria only), so 1,000 entries hold about
	 * 40 MB at most.
	 */
	constructor(limit = 1_000) {
		this.#limit = limit;
	}

	get size(): number {
		return this.#entries.size;
	}

	/** Where a read starts: pass it to `keep` with what the read returned. */
	get generation(): number {
		return this.#generation;
	}

	get<V>(key: string): V | undefined {
		return this.#entries.get(key)?.value as V | undefined;
	}

	/**
	 * Keeps a team's value read since `generation`, unless something changed meanwhile, with the
	 * ids of every assessment whose rows it shows.
	 */
	keep(
		key: string,
		teamId: string,
		value: unknown,
		assessments: readonly string[],
		generation: number
	): void {
		if (generation !== this.#generation) return;
		this.#drop(key);
		if (this.#entries.size >= this.#limit) this.#drop(this.#entries.keys().next().value!);
		this.#entries.set(key, { teamId, value, assessments });
		let team = this.#ofTeam.get(teamId);
		if (!team) this.#ofTeam.set(teamId, (team = { keys: new Set(), assessments: new Set() }));
		team.keys.add(key);
		for (const id of assessments) {
			team.assessments.add(id);
			this.#teamOfAssessment.set(id, teamId);
		}
	}

	/**
	 * A `team_change` payload: a team id (every entry of the team goes), `a:<assessment id>` (the
	 * assessment's answers, practice or phase rows or questions changed: the entries that show it
	 * go) or `*` for every team.
	 */
	changed(payload: string): void {
		this.#generation++;
		if (payload === '*') {
			this.#entries.clear();
			this.#ofTeam.clear();
			this.#teamOfAssessment.clear();
		} else if (payload.startsWith('a:')) {
			const assessment = payload.slice(2);
			const teamId = this.#teamOfAssessment.get(assessment);
			if (!teamId) return;
			for (const key of [...(this.#ofTeam.get(teamId)?.keys ?? [])]) {
				if (this.#entries.get(key)?.assessments.includes(assessment)) this.#drop(key);
			}
		} else this.#dropTeam(payload);
	}

	#dropTeam(teamId: string): void {
		for (const key of [...(this.#ofTeam.get(teamId)?.keys ?? [])]) this.#drop(key);
	}

	#drop(key: string): void {
		const kept = this.#entries.get(key);
		if (!kept) return;
		this.#entries.delete(key);
		const team = this.#ofTeam.get(kept.teamId);
		team?.keys.delete(key);
		// Another entry of the team may show the same assessment: only a team without entries
		// forgets its assessments.
		if (team && !team.keys.size) {
			this.#ofTeam.delete(kept.teamId);
			for (const id of team.assessments) this.#teamOfAssessment.delete(id);
		}
	}
}

const caches = new WeakMap<Database, TeamCache>();

/** The kept team data of a database whose changes are pushed to this process. */
export function teamCacheOf(db: Database): TeamCache | undefined {
	return caches.get(db);
}

/**
 * A team's value under `key`: kept (embedded database) or read. `read` answers the value and the
 * assessments whose rows it shows. The value is shared between requests, so it is frozen:
 * callers copy, never change it.
 */
export async function keptForTeam<V>(
	db: Database,
	key: string,
	teamId: string,
	read: () => Promise<{ value: V; assessments: readonly string[] }>
): Promise<V> {
	const value = await keptIfFound(db, key, async () => {
		const found = await read();
		return found.value === undefined ? undefined : { ...found, teamId };
	});
	return value as V;
}

/**
 * Like keptForTeam, for a read that finds its team (or nothing, which is never kept: a team or
 * assessment made later must be found then).
 */
export async function keptIfFound<V>(
	db: Database,
	key: string,
	read: () => Promise<{ value: V; teamId: string; assessments: readonly string[] } | undefined>
): Promise<V | undefined> {
	const cache = caches.get(db);
	const kept = cache?.get<V>(key);
	if (kept !== undefined) return kept;
	const generation = cache?.generation ?? 0;
	const found = await read();
	if (cache && found)
		cache.keep(key, found.teamId, deepFreeze(found.value), found.assessments, generation);
	return found?.value;
}

/** Freezes parsed JSON rows all the way down (objects and arrays only). */
function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const v of Object.values(value)) deepFreeze(v);
	}
	return value;
}

/** Keeps team data for `db`, dropping it as `team_change` notifications arrive. */
export async function followTeamChanges(
	db: Database,
	listen: (channel: string, onNotify: (payload: string) => void) => Promise<unknown>
): Promise<void> {
	const cache = new TeamCache();
	await listen('team_change', (payload) => cache.changed(payload));
	caches.set(db, cache);
}
