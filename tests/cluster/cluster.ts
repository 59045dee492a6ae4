import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

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

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` is true, polling every `every` ms, or fails after `ms`. */
export async function waitFor(
	what: string,
	check: () => Promise<boolean>,
	ms = 60_000,
	every = 200
) {
	const until = Date.now() + ms;
	while (Date.now() < until) {
		if (await check().catch(() => false)) return;
		await sleep(every);
	}
	throw new Error(`Timed out waiting for ${what}`);
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

/** Whether something accepts TCP connections on the port. */
export function listening(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

export interface HaproxyBackend {
	name: string;
	port: number;
}

/**
 * The load balancer as README's example configures it: round robin, /readyz as the health
 * check every half second, out after two failures, X-Forwarded-For added (and any the client
 * sent kept before it, which XFF_DEPTH=1 ignores). X-Served-By names the instance for the test.
 */
export function haproxyConfig(dir: string, front: number, backends: HaproxyBackend[]): string {
	return `global
	stats socket ${path.join(dir, 'haproxy.sock')} mode 600 level admin
	log stdout format raw local0 info

defaults
	mode http
	log global
	option httplog
	option forwardfor
	timeout connect 2s
	timeout client 30s
	timeout server 30s

frontend rampart
	bind 127.0.0.1:${front}
	default_backend rampart

backend rampart
	balance roundrobin
	option httpchk GET /readyz
	http-check expect status 200
	default-server inter 500ms fall 2 rise 2
	http-response set-header X-Served-By %s
${backends.map((b) => `	server ${b.name} 127.0.0.1:${b.port} check`).join('\n')}
`;
}

export interface Haproxy {
	child: ChildProcess;
	output: () => string;
	/** Each server's operational state as HAProxy sees it (2 running, 0 stopped). */
	states: () => Promise<Record<string, number>>;
	stop: () => Promise<void>;
}

export async function startHaproxy(
	dir: string,
	front: number,
	backends: HaproxyBackend[]
): Promise<Haproxy> {
	const config = path.join(dir, 'haproxy.cfg');
	writeFileSync(config, haproxyConfig(dir, front, backends));
	const check = spawnSync('haproxy', ['-c', '-f', config], { encoding: 'utf8' });
	if (check.status !== 0) throw new Error(`haproxy -c: ${check.stdout}${check.stderr}`);
	const child = spawn('haproxy', ['-db', '-f', config]);
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const socket = path.join(dir, 'haproxy.sock');
	const command = (line: string) =>
		new Promise<string>((resolve, reject) => {
			const c = net.connect(socket);
			let text = '';
			c.on('data', (d) => (text += d));
			c.on('end', () => resolve(text));
			c.on('error', reject);
			c.end(`${line}\n`);
		});
	const states = async () => {
		// "show servers state": be_id be_name srv_id srv_name srv_addr srv_op_state …
		const lines = (await command('show servers state rampart')).split('\n');
		return Object.fromEntries(
			lines
				.filter((l) => /^\d+ rampart /.test(l))
				.map((l) => l.split(' '))
				.map((f) => [f[3]!, Number(f[5])])
		);
	};
	await waitFor('HAProxy', () => listening(front), 10_000, 100);
	return {
		child,
		output: () => output,
		states,
		stop: async () => {
			if (child.exitCode === null) {
				child.kill('SIGTERM');
				await new Promise((r) => child.once('exit', r));
			}
		}
	};
}

/** The `name=value` pairs of Set-Cookie, as a Cookie header. */
export function cookieOf(answer: Answer): string {
	const set = answer.headers['set-cookie'] ?? [];
	return set.map((c) => c.split(';')[0]).join('; ');
}
