import { requireMetricsAccess } from '$lib/server/auth/guard';
import { METRICS_CONTENT_TYPE } from '$lib/server/observability/metrics';
import { renderMetrics } from '$lib/server/observability/app-metrics';
import type { RequestHandler } from './$types';

/** Prometheus's scrape: the server's series in the text format, for the token or this machine. */
export const GET: RequestHandler = async (event) => {
	const refused = requireMetricsAccess(event);
	if (refused) return refused;
	return new Response(await renderMetrics(event.locals.db), {
		headers: { 'Content-Type': METRICS_CONTENT_TYPE, 'Cache-Control': 'no-store' }
	});
};
