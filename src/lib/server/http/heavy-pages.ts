/**
 * Pages whose size grows with the organisation (every team's heatmap row, the quarterly
 * report's appendix of every team) are rendered at most a few at a time; further requests
 * wait their turn. One render at 2,000 teams builds megabytes of HTML: ten at once only
 * multiply the server's peak memory, not its throughput (rendering is CPU-bound on one thread).
 */

/** Route ids (SvelteKit's `event.route.id`) rendered through the gate. */
export const heavyRoutes: ReadonlySet<string> = new Set([
	'/(app)/dashboard/heatmap',
	'/(app)/reports/[cycle]'
]);

/** A counting semaphore: `run` waits while `limit` calls are running, first come first served. */
export class Gate {
	#active = 0;
	readonly #waiting: (() => void)[] = [];
	constructor(readonly limit: number) {
		if (!Number.isInteger(limit) || limit < 1) throw new Error('A gate lets at least one through.');
	}

	get active(): number {
		return this.#active;
	}

	get waiting(): number {
		return this.#waiting.length;
	}

	async run<T>(work: () => Promise<T>): Promise<T> {
		if (this.#active >= this.limit) {
			await new Promise<void>((resolve) => this.#waiting.push(resolve));
		} else {
			this.#active++;
		}
		try {
			return await work();
		} finally {
			// The slot passes straight to the next in line, so a newcomer cannot jump the queue.
			const next = this.#waiting.shift();
			if (next) next();
			else this.#active--;
		}
	}
}

/** Two at a time: one rendering while the other's response is being written. */
export const heavyPageGate = new Gate(2);
