import type { Database } from '$lib/server/db';

/**
 * The session checks the embedded database has answered, kept by session id until what they
 * read changes. Every signed-in request checks its session; on the embedded database that
 * statement is a fair part of a page's CPU. Triggers on the session, the user and the user's
 * second factors notify `session_change` (migration 0018) with the session or the user that
 * changed, and the entry goes at once: PGlite delivers a notification as the write commits,
 * before the writer's code goes on, so a session ended, a user deactivated or a second factor
 * added is never answered from here afterwards. The check itself (expiry, pending second
 * factor, active user) still runs on every request with the row kept here.
 *
 * Only for the embedded database: its data directory is this process's alone. On PostgreSQL
 * other instances write too, so every request reads the session (followSessionChanges is
 * never called and `sessionCacheOf` answers undefined).
 */
export class SessionCache<Row> {
	/** Rows (with their user) by session id, oldest first. */
	readonly #rows = new Map<string, { userId: string; row: Row }>();
	/** Moves on every notification: a read that began before one is not kept. */
	#generation = 0;
	readonly #limit: number;

	constructor(limit = 10_000) {
		this.#limit = limit;
	}

	get size(): number {
		return this.#rows.size;
	}

	/** Where a read starts: pass it to `keep` with what the read returned. */
	get generation(): number {
		return this.#generation;
	}

	get(sessionId: string): Row | undefined {
		return this.#rows.get(sessionId)?.row;
	}

	/** Keeps a user's session row read since `generation`, unless something changed meanwhile. */
	keep(sessionId: string, userId: string, row: Row, generation: number): void {
		if (generation !== this.#generation) return;
		if (this.#rows.size >= this.#limit) this.#rows.delete(this.#rows.keys().next().value!);
		this.#rows.set(sessionId, { userId, row });
	}

	/** A `session_change` payload: `s:<session id>`, `u:<user id>` or `*`. */
	changed(payload: string): void {
		this.#generation++;
		if (payload.startsWith('s:')) this.#rows.delete(payload.slice(2));
		else if (payload.startsWith('u:')) {
			const userId = payload.slice(2);
			for (const [id, kept] of this.#rows) if (kept.userId === userId) this.#rows.delete(id);
		} else this.#rows.clear();
	}
}

const caches = new WeakMap<Database, SessionCache<unknown>>();

/** The kept session checks of a database whose changes are pushed to this process. */
export function sessionCacheOf<Row>(db: Database): SessionCache<Row> | undefined {
	return caches.get(db) as SessionCache<Row> | undefined;
}

/** Keeps session checks for `db`, dropping them as `session_change` notifications arrive. */
export async function followSessionChanges(
	db: Database,
	listen: (channel: string, onNotify: (payload: string) => void) => Promise<unknown>
): Promise<void> {
	const cache = new SessionCache<unknown>();
	await listen('session_change', (payload) => cache.changed(payload));
	caches.set(db, cache);
}
