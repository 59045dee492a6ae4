import { requireUser } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth/policy';
import { heatmapSort } from '$lib/components/dashboard/heatmap';
import { cachedForRevision, revisionValidator } from '$lib/server/db/revision';
import { etagOf, REVALIDATE } from '$lib/server/http/etag';
import { selection } from '$lib/server/dashboard/select';
import { dashboardView } from '$lib/server/dashboard/view';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const db = event.locals.db;
	const chosen = await selection(db, event.url.searchParams);
	const sort = heatmapSort(event.url.searchParams.get('sort'));
	// Only what the selection understood: links on the page never carry anything else.
	const filters = new URLSearchParams();
	if (event.url.searchParams.has('cycle') && chosen.cycle) filters.set('cycle', chosen.cycle.name);
	if (chosen.unit) filters.set('unit', chosen.unit.id);
	const page = { sort, filters: filters.toString() };
	// Today's date: who is on security duty and what is overdue change at midnight without a write.
	const today = new Date().toISOString().slice(0, 10);
	// Everything the page shows (the header's name and links included) is read under the data
	// revision, for this reader and view: while none of them changes, neither does the page, and
	// a browser that holds it gets a 304 instead.
	event.setHeaders({
		etag: etagOf(revisionValidator(chosen.revision), user.id, today, sort, page.filters),
		'cache-control': REVALIDATE
	});
	if (!can(user, 'dashboard.org')) {
		// A member's page names their own teams: made for them alone.
		return { ...page, view: await dashboardView(db, user, chosen) };
	}
	// Leadership's view is the same for everyone who sees the organisation, except whether it
	// links the printable report: made once per data revision and view (at most a minute old).
	const key = `dashboard.view:${can(user, 'reports.view')}:${chosen.cycle?.id}:${chosen.unit?.id}:${today}`;
	const view = await cachedForRevision(db, key, chosen.revision, () =>
		dashboardView(db, user, chosen)
	);
	return { ...page, view };
};
