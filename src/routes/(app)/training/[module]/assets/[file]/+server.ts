import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { getTraining } from '$lib/server/training/load-training';
import type { RequestHandler } from './$types';

/**
 * An image beside a module's lessons. Only files the loader listed for that module are served
 * (from memory, so no request ever reaches the file system); an SVG gets a CSP of its own so
 * that, opened directly, it cannot run script or load anything.
 */
export const GET: RequestHandler = async (event) => {
	requireUser(event);
	const training = getTraining();
	const asset = training.moduleById.get(event.params.module)?.assets.get(event.params.file);
	if (!asset) error(404, 'Not found');
	const headers: Record<string, string> = {
		'Content-Type': asset.contentType,
		'Content-Length': String(asset.bytes.byteLength),
		'X-Content-Type-Options': 'nosniff',
		'Cache-Control': 'private, max-age=3600',
		ETag: `"${training.version}"`
	};
	if (asset.contentType === 'image/svg+xml') {
		headers['Content-Security-Policy'] = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
	}
	if (event.request.headers.get('if-none-match') === headers.ETag) {
		return new Response(null, { status: 304, headers: { ETag: headers.ETag } });
	}
	return new Response(asset.bytes, { headers });
};
