import { readdirSync } from 'node:fs';
import path from 'node:path';

interface Route {
	id: string;
	pattern: RegExp;
	/** Static segments: `/teams/new` is preferred to `/teams/[slug]`. */
	statics: number;
}

const served = /^\+(page\.svelte|page\.server\.ts|server\.ts)$/;

/** Every page and endpoint under src/routes, as SvelteKit would match a path to it. */
function routes(dir = path.resolve('src/routes'), id = ''): Route[] {
	const entries = readdirSync(dir, { withFileTypes: true });
	const here: Route[] = entries.some((e) => e.isFile() && served.test(e.name))
		? [route(id || '/')]
		: [];
	return here.concat(
		entries
			.filter((e) => e.isDirectory())
			.flatMap((e) => routes(path.join(dir, e.name), `${id}/${e.name}`))
	);
}

function route(id: string): Route {
	const segments = id.split('/').filter((s) => s && !/^\(.*\)$/.test(s));
	const source = segments
		.map((s) =>
			/^\[\.\.\..+\]$/.test(s)
				? '/.+'
				: /^\[.+\]$/.test(s)
					? '/[^/]+'
					: `/${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`
		)
		.join('');
	return {
		id,
		pattern: new RegExp(`^${source || '/'}$`),
		statics: segments.filter((s) => !s.startsWith('[')).length
	};
}

let known: Route[] | undefined;

/** The route a path is served by (its id, e.g. `/(app)/teams/[slug]`), or the path itself. */
export function routeOf(pathname: string): string {
	known ??= routes().sort((a, b) => b.statics - a.statics);
	return known.find((r) => r.pattern.test(pathname))?.id ?? pathname;
}
