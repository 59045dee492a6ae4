/**
 * The Node options `npm start` runs the server with (package.json is the one place they are
 * written), so the benchmark measures the server as it is run. They bound the JavaScript heap:
 * without it V8 lets garbage pile up to gigabytes on a machine with plenty of memory before
 * collecting it (measured at 2,000 teams: peak 415 MB with the default, 226 MB with 192 MB, the
 * live heap staying under ~140 MB); and they give the young generation room for a request's
 * short-lived garbage (dashboard at 500 teams: p95 102 → 92 ms, lower peak).
 */
export function startNodeFlags(scripts: Record<string, string>): string[] {
	const start = scripts.start ?? '';
	const [command, ...words] = start.trim().split(/\s+/);
	const flags = words.slice(
		0,
		Math.max(
			0,
			words.findIndex((w) => !w.startsWith('--'))
		)
	);
	const file = words[flags.length];
	if (command !== 'node' || !file?.endsWith('.js')) {
		throw new Error(`The start script is not "node [--flags] FILE.js": ${start}`);
	}
	return flags;
}
