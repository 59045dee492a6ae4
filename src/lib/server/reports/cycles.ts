import { error } from '@sveltejs/kit';
import type { Database } from '$lib/server/db';
import { dashboardCycles } from '$lib/server/dashboard/scope';

/** The cycles an export covers: one by name, or `all` for every cycle, oldest first. */
export async function exportCycles(db: Database, name: string) {
	const cycles = await dashboardCycles(db);
	if (name === 'all') return [...cycles].reverse();
	const cycle = cycles.find((c) => c.name === name);
	if (!cycle) error(404, 'Unknown cycle');
	return [cycle];
}

/** Download headers: the file name carries the cycle; nothing is cached. */
export function downloadHeaders(type: string, filename: string): HeadersInit {
	return {
		'Content-Type': type,
		'Content-Disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
		'Cache-Control': 'no-store',
		'X-Content-Type-Options': 'nosniff'
	};
}
