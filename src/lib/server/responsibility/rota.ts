/** Pure rota arithmetic: who holds the security on-call now and next. */

const DAY = 24 * 60 * 60 * 1000;

export interface RotaPlan {
	/** First day of the first turn, `YYYY-MM-DD`. */
	startsOn: string;
	/** Length of a turn in weeks: 1 or 2. */
	rotationWeeks: number;
	/** Members in rota order (user ids). */
	members: readonly string[];
	/** Swapped turns: turn start date → who covers it. */
	swaps?: ReadonlyMap<string, string>;
}

export interface Turn {
	userId: string;
	/** First day of the turn. */
	start: string;
	/** First day after the turn. */
	end: string;
	swapped: boolean;
}

const toDay = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The turns from the one covering `date` on (`count` of them); empty when nobody is on the rota. */
export function turns(plan: RotaPlan, date: string, count = 2): Turn[] {
	const members = plan.members;
	if (!members.length) return [];
	const length = 7 * plan.rotationWeeks * DAY;
	const first = toDay(plan.startsOn);
	// Before the rota starts, the first turn is the next one.
	const index = Math.max(0, Math.floor((toDay(date) - first) / length));
	const result: Turn[] = [];
	for (let i = index; i < index + count; i++) {
		const start = isoDay(first + i * length);
		const planned = members[i % members.length]!;
		const swap = plan.swaps?.get(start);
		// A swap to someone no longer on the rota no longer counts.
		const covering = swap && members.includes(swap) ? swap : planned;
		result.push({
			userId: covering,
			start,
			end: isoDay(first + (i + 1) * length),
			swapped: covering !== planned
		});
	}
	return result;
}

/** Who is on duty on `date` and who is next (either may be undefined). */
export function onDuty(plan: RotaPlan, date: string) {
	const [now, next] = turns(plan, date, 2);
	const started = now && now.start <= date;
	return { now: started ? now : undefined, next: started ? next : now };
}
