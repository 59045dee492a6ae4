import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

// HAProxy and the waiting helpers are shared with `npm run bench -- --instances 2`.
export {
	haproxyConfig,
	listening,
	sleep,
	startHaproxy,
	waitFor,
	type Haproxy,
	type HaproxyBackend
} from '../../src/cli/haproxy';

/**
 * What a release needs at run time beside its production dependencies (README, "Running in
 * production"): the build, the content it reads, the migrations, the package files for
 * `npm ci --omit=dev`, and start.js for `npm start` / `npm run migrate`.
 */
export const releaseFiles = [
	'build',
	'content',
	'drizzle',
	'package.json',
	'package-lock.json',
	'src/cli/start.js'
] as const;

/** Copies the release files of the repository's build into a new directory and installs its production dependencies. */
export function makeRelease(repo: string): string {
	if (!existsSync(path.join(repo, 'build', 'index.js')))
		throw new Error('No build/: run `npm run build` before the cluster test.');
	const dir = mkdtempSync(path.join(tmpdir(), 'rampart-release-'));
	for (const file of releaseFiles)
		cpSync(path.join(repo, file), path.join(dir, file), { recursive: true });
	const npm = spawnSync(
		'npm',
		['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts=false'],
		{ cwd: dir, encoding: 'utf8' }
	);
	if (npm.status !== 0) throw new Error(`npm ci --omit=dev failed:\n${npm.stdout}\n${npm.stderr}`);
	return dir;
}

export interface Instance {
	name: string;
	port: number;
	child: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

/** Starts `node build` in the release with the given environment (and only that, plus PATH). */
export function startInstance(
	release: string,
	name: string,
	port: number,
	env: Record<string, string>,
	args: string[] = []
): Instance {
	const child = spawn(process.execPath, ['build', ...args], {
		cwd: release,
		env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env }
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { name, port, child, output: () => output, exited };
}

export interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
	servedBy: string | undefined;
}

export interface RequestOptions {
	method?: string;
	headers?: Record<string, string>;
	form?: Record<string, string>;
	/** The client's own address (any of 127.0.0.0/8), so each test is a different client. */
	from?: string;
	cookie?: string;
	/** Milliseconds before the request is given up (30 s). */
	timeout?: number;
}

/** One HTTP request on a connection of its own, from a chosen loopback address. */
export function request(url: string, options: RequestOptions = {}): Promise<Answer> {
	const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
	const target = new URL(url);
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: target.hostname,
				port: target.port,
				path: target.pathname + target.search,
				method: options.method ?? (options.form ? 'POST' : 'GET'),
				localAddress: options.from,
				agent: false,
				headers: {
					...(body !== undefined
						? {
								'Content-Type': 'application/x-www-form-urlencoded',
								'Content-Length': String(Buffer.byteLength(body))
							}
						: {}),
					// As a browser asks: SvelteKit answers a form post as a page (303), not as JSON.
					Accept: 'text/html',
					...(options.cookie ? { Cookie: options.cookie } : {}),
					...options.headers
				}
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (d) => (text += d));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: text,
						servedBy: res.headers['x-served-by'] as string | undefined
					})
				);
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.setTimeout(options.timeout ?? 30_000, () => req.destroy(new Error(`timeout: ${url}`)));
		req.end(body);
	});
}

/** The `name=value` pairs of Set-Cookie, as a Cookie header. */
export function cookieOf(answer: Answer): string {
	const set = answer.headers['set-cookie'] ?? [];
	return set.map((c) => c.split(';')[0]).join('; ');
}
