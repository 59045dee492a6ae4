import type { Database } from '$lib/server/db';
import { cachedForRevision, dataRevision } from '$lib/server/db/revision';
import { dashboardCycles, unitOptions } from './scope';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the cycle and org unit asked for in the query string, falling back to the newest cycle and
 * the whole organisation; `revision` is the data revision the figures for it are cached under.
 */
export async function selection(db: Database, params: URLSearchParams) {
	const revision = await dataRevision(db);
	// The cycle and unit lists change a few times a year.
	const [cycles, units] = await cachedForRevision(db, 'dashboard.lists', revision, () =>
		Promise.all([dashboardCycles(db), unitOptions(db)])
	);
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
