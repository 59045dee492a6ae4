import type { Database } from '$lib/server/db';

/**
 * The team pages the embedded database has answered, kept by team id until what they read
 * changes. The team page's one statement (team-page.ts) costs about 1.5 ms of CPU at 500
 * teams, and no part of it dominates, so it is not run again while the team's data stays the
 * same. Triggers on every table the statement reads notify `team_change` (migration 0019) with
 * the team whose data changed, the assessment whose answers, practice or phase rows changed, or
 * `*`, and the entry goes at once: PGlite delivers a
 * notification as the write commits, before the writer's code goes on (and none on rollback),
 * so a view after a write never shows the page from before it.
 *
 * Only for the embedded database: its data directory is this process's alone. On PostgreSQL
 * other instances write too, so every view reads the team page (followTeamChanges is never
 * called and `teamPageCacheOf` answers undefined).
 */
export class TeamPageCache<Rows> {
	/** Rows by team id, oldest first, with the ids of the team's assessments they show. */
	readonly #rows = new Map<string, { rows: Rows; assessments: readonly string[] }>();
	/** The team of each kept page's assessments (`a:` notifications name the assessment). */
	readonly #teamOfAssessment = new Map<string, string>();
	/** Moves on every notification: a read that began before one is not kept. */
	#generation = 0;
	readonly #limit: number;

	/**
	 * A page's rows take about 40 KB of heap (measured at 500 teams: ~220 answers, practice and
	 * phase rows, plan items), so 1,000 teams hold about 40 MB at most.
	 */
	constructor(limit = 1_000) {
		this.#limit = limit;
	}

	get size(): number {
		return this.#rows.size;
	}

	/** Where a read starts: pass it to `keep` with what the read returned. */
	get generation(): number {
		return this.#generation;
	}

	get(teamId: string): Rows | undefined {
		return this.#rows.get(teamId)?.rows;
	}

	/**
	 * Keeps a team's rows read since `generation`, unless something changed meanwhile, with the
	 * ids of every assessment of the team (the rows of any of them may be on the page).
	 */
	keep(teamId: string, rows: Rows, assessments: readonly string[], generation: number): void {
		if (generation !== this.#generation) return;
		this.#drop(teamId);
		if (this.#rows.size >= this.#limit) this.#drop(this.#rows.keys().next().value!);
		this.#rows.set(teamId, { rows, assessments });
		for (const id of assessments) this.#teamOfAssessment.set(id, teamId);
	}

	/**
	 * A `team_change` payload: a team id, `a:<assessment id>` (its answers, practice or phase
	 * rows changed: the page that shows that assessment goes) or `*` for every team.
	 */
	changed(payload: string): void {
		this.#generation++;
		if (payload === '*') {
			this.#rows.clear();
			this.#teamOfAssessment.clear();
		} else if (payload.startsWith('a:')) {
			const teamId = this.#teamOfAssessment.get(payload.slice(2));
			if (teamId) this.#drop(teamId);
		} else this.#drop(payload);
	}

	#drop(teamId: string): void {
		const kept = this.#rows.get(teamId);
		if (!kept) return;
		this.#rows.delete(teamId);
		for (const id of kept.assessments) this.#teamOfAssessment.delete(id);
	}
}

const caches = new WeakMap<Database, TeamPageCache<unknown>>();

/** The kept team pages of a database whose changes are pushed to this process. */
export function teamPageCacheOf<Rows>(db: Database): TeamPageCache<Rows> | undefined {
	return caches.get(db) as TeamPageCache<Rows> | undefined;
}

/** Keeps team pages for `db`, dropping them as `team_change` notifications arrive. */
export async function followTeamChanges(
	db: Database,
	listen: (channel: string, onNotify: (payload: string) => void) => Promise<unknown>
): Promise<void> {
	const cache = new TeamPageCache<unknown>();
	await listen('team_change', (payload) => cache.changed(payload));
	caches.set(db, cache);
}
