// A real HAProxy (Debian's) on 127.0.0.1 in front of Rampart instances, configured as the
// README's example is: for the cluster test (tests/cluster) and `npm run bench -- --instances 2`.
/* eslint-disable security/detect-non-literal-fs-filename -- paths in a temp dir the caller made */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

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
export function haproxyConfig(
	dir: string,
	front: number,
	backends: HaproxyBackend[],
	options: HaproxyOptions = {}
): string {
	const requestLog = options.requestLog ?? true;
	return `global
	stats socket ${path.join(dir, 'haproxy.sock')} mode 600 level admin
${requestLog ? '\tlog stdout format raw local0 info\n' : ''}
defaults
	mode http
${requestLog ? '\tlog global\n\toption httplog\n' : ''}	option forwardfor
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

export interface HaproxyOptions {
	/** A log line per request on HAProxy's output (true); a benchmark turns it off. */
	requestLog?: boolean;
}

/** `haproxy` on the PATH, else Debian's /usr/sbin/haproxy (not on a normal user's PATH). */
export function haproxyBinary(): string {
	const onPath = (process.env.PATH ?? '')
		.split(path.delimiter)
		.some((dir) => dir && existsSync(path.join(dir, 'haproxy')));
	return onPath || !existsSync('/usr/sbin/haproxy') ? 'haproxy' : '/usr/sbin/haproxy';
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
	backends: HaproxyBackend[],
	options: HaproxyOptions = {}
): Promise<Haproxy> {
	const config = path.join(dir, 'haproxy.cfg');
	writeFileSync(config, haproxyConfig(dir, front, backends, options));
	const binary = haproxyBinary();
	const check = spawnSync(binary, ['-c', '-f', config], { encoding: 'utf8' });
	if (check.error) throw new Error(`HAProxy (${binary}) did not run: ${check.error.message}`);
	if (check.status !== 0) throw new Error(`haproxy -c: ${check.stdout}${check.stderr}`);
	const child = spawn(binary, ['-db', '-f', config]);
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
