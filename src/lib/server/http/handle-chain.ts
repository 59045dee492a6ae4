import type { Handle, ResolveOptions } from '@sveltejs/kit';

type Resolve = Parameters<Handle>[0]['resolve'];

/**
 * Runs handles in order, each one's `resolve` calling the next, the last one's the app's: what
 * SvelteKit's `sequence` does, without what it adds around every handle. `sequence` runs each
 * handle inside its own tracing span, a copy of the event and an AsyncLocalStorage scope; with
 * thirteen handles that was thirteen of each on every request, spans that are never exported
 * unless OpenTelemetry is configured (SvelteKit's own request, load and action spans stay).
 *
 * Options a handle passes to `resolve` (transformPageChunk, preload, …) reach the app, an inner
 * handle's replacing an outer one's; `sequence` merges them, which none of our handles needs.
 */
export function handleChain(...handles: Handle[]): Handle {
	return ({ event, resolve }) => {
		const next =
			(i: number, outer?: ResolveOptions): Resolve =>
			(event, options) =>
				i === handles.length
					? resolve(event, options ?? outer)
					: handles[i]!({ event, resolve: next(i + 1, options ?? outer) });
		return next(0)(event);
	};
}
