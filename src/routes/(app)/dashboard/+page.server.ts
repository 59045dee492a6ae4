import { render } from 'svelte/server';
import { requireUser } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth/policy';
import { heatmapSort } from '$lib/components/dashboard/heatmap';
import { cachedForRevision } from '$lib/server/db/revision';
import { pageFragment } from '$lib/server/http/page-fragment';
import { selection } from '$lib/server/dashboard/select';
import { dashboardView } from '$lib/server/dashboard/view';
import DashboardBody from './DashboardBody.svelte';
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
	if (!can(user, 'dashboard.org')) {
		// A member's page names their own teams: rendered for them alone.
		return { ...page, body: null, view: await dashboardView(db, user, chosen) };
	}
	// Leadership's page is the same for everyone who sees the organisation: rendered once per
	// data revision and view (at most a minute old, see cachedForRevision), then served as it
	// is, instead of building and rendering ~1,300 values on every view.
	// Today's date is in the key: who is on security duty changes at midnight without a write.
	const today = new Date().toISOString().slice(0, 10);
	// Whether it links the printable report is the reader's, so it is part of the key too.
	const key = `dashboard.page:${can(user, 'reports.view')}:${chosen.cycle?.id}:${chosen.unit?.id}:${sort}:${page.filters}:${today}`;
	const body = await cachedForRevision(db, key, chosen.revision, async () => {
		const view = await dashboardView(db, user, chosen);
		return render(DashboardBody, { props: { data: view, ...page } }).body;
	});
	return { ...page, body: pageFragment(event, body), view: null };
};

// Everything on the dashboard works without SvelteKit's client (links, a GET form); its charts
// are drawn by the small standalone chart script the page links. Not hydrating keeps the copy
// of its data out of the page and spares the browser ~33 KB of gzipped framework code.
export const csr = false;
