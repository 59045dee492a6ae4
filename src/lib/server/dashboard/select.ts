import type { Database } from '$lib/server/db';
import { dataRevision } from '$lib/server/db/revision';
import { dashboardCycles, unitOptions } from './scope';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Lists = {
	cycles: Awaited<ReturnType<typeof dashboardCycles>>;
	units: Awaited<ReturnType<typeof unitOptions>>;
};
/** The cycle and unit lists of the latest revision seen (they change a few times a year). */
const listsByDb = new WeakMap<Database, { revision: string; at: number; value: Promise<Lists> }>();
const MAX_AGE_MS = 60_000;

function cycleAndUnitLists(db: Database, revision: string): Promise<Lists> {
	const lists = listsByDb.get(db);
	if (lists && lists.revision === revision && Date.now() - lists.at < MAX_AGE_MS)
		return lists.value;
	const value = Promise.all([dashboardCycles(db), unitOptions(db)]).then(([cycles, units]) => ({
		cycles,
		units
	}));
	const entry = { revision, at: Date.now(), value };
	value.catch(() => {
		if (listsByDb.get(db) === entry) listsByDb.delete(db);
	});
	listsByDb.set(db, entry);
	return value;
}

/**
 * Reads the cycle and org unit asked for in the query string, falling back to the newest cycle and
 * the whole organisation; `revision` is the data revision the figures for it are cached under.
 */
export async function selection(db: Database, params: URLSearchParams) {
	const revision = await dataRevision(db);
	const { cycles, units } = await cycleAndUnitLists(db, revision);
	const wanted = params.get('cycle');
	const index = Math.max(
		0,
		cycles.findIndex((c) => c.name === wanted)
	);
	const unitParam = params.get('unit') ?? '';
	const unit = UUID.test(unitParam) ? (units.find((u) => u.id === unitParam) ?? null) : null;
	return {
		cycles,
		units,
		cycle: cycles[index] ?? null,
		previous: cycles[index + 1] ?? null,
		unit,
		revision
	};
}
