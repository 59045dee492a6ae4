#!/usr/bin/env node
// `npm start`: builds when the build is missing or older than the sources, then serves the
// production server in this process (so SIGTERM/SIGINT reach it). `--demo` seeds a sample
// organisation into an empty database; `--migrate` (`npm run migrate`) migrates and exits, as
// `--backup`/`--restore` (`npm run backup`, `npm run restore`) back up or restore and exit.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'build', 'index.js');
const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

// Paths here come from the fixed list above, never from user input.
/* eslint-disable security/detect-non-literal-fs-filename */
/** @param {string} p */
function newestMtime(p) {
	if (!existsSync(p)) return 0;
	const stat = statSync(p);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const name of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
	return newest;
}

const builtAt = existsSync(entry) ? statSync(entry).mtimeMs : 0;
const sourcesAt = Math.max(...inputs.map((p) => newestMtime(path.join(root, p))));
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
// `--backup`/`--restore` (npm run backup, npm run restore) use the build there is, if any: the
// server may be running from it, and a rebuild would replace files it still loads pages from.
const backupCommand = process.argv.includes('--backup') || process.argv.includes('--restore');
// A release installed with `npm ci --omit=dev` has no Vite: it serves the build it was given.
if (!existsSync(vite)) {
	if (!builtAt) {
		console.error('No build/ here and no Vite to make one: run `npm ci && npm run build` first.');
		process.exit(1);
	}
} else if (builtAt < sourcesAt && !(backupCommand && builtAt)) {
	console.log(builtAt ? 'Sources changed since the last build; rebuilding…' : 'Building Rampart…');
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.chdir(root);
process.env.HOST ??= '127.0.0.1';
process.env.PORT ??= '3000';
// Without ORIGIN the server would assume https and refuse every form post over plain http.
process.env.ORIGIN ??= `http://${process.env.HOST}:${process.env.PORT}`;
// Pipelines upload scanner output of up to 10 MB (the API limits it as it streams); every
// other route keeps 512 KB (src/lib/server/http/body-limit.ts).
process.env.BODY_SIZE_LIMIT ??= '10M';
if (process.argv.includes('--demo')) process.env.RAMPART_DEMO = '1';
// `--migrate` (npm run migrate): the server's init hook migrates and exits (migrate-command.ts).
// `--backup`/`--restore`: the same, for backups (src/lib/server/backup/command.ts).
if (!process.argv.includes('--migrate') && !backupCommand) {
	console.log(`Rampart on ${process.env.ORIGIN}`);
}
await import(pathToFileURL(entry).href);
