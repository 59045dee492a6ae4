import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD } from '../../playwright.config';

// A production server (`node build`) that a spec starts for itself, beside the shared ones of
// playwright.config.ts: on a port of its own, with environment of its own (an SMTP server, an
// OpenID provider, an OTLP receiver ...), stopped by the spec when it is done.

export interface OwnServerOptions {
	/**
	 * The demo organisation as the browser tests use it (the default): seeded with DEMO_PASSWORD,
	 * no second factor required of admin and security (MFA_REQUIRED_ROLES ''), and a request budget
	 * for many sign-ins from 127.0.0.1. With false the build gets only HOST, PORT, ORIGIN, DATA_DIR
	 * and `env`.
	 */
	demo?: boolean;
	/** The data directory; by default a new empty one in the temporary directory, removed by stop(). */
	dataDir?: string;
	/** The address it listens on (ORIGIN stays http://127.0.0.1:<port>). */
	host?: string;
	/** How long to wait for /readyz, in milliseconds (the demo is seeded before it answers). */
	readyTimeout?: number;
}

export interface OwnServer {
	port: number;
	/** http://127.0.0.1:<port> */
	base: string;
	dataDir: string;
	/** What it has written so far (standard output and error), line by line. */
	lines: string[];
	/** The same as one text, with any line not yet ended. */
	output(): string;
	/** Its exit code once it has exited (null when a signal ended it). */
	exited: Promise<number | null>;
	/** Waits until /readyz answers 200; fails with the output if it exits first or the time runs out. */
	ready(): Promise<void>;
	/** SIGTERM, then waits for the exit (SIGKILL and an error after 20 s); removes a data directory it made. */
	stop(): Promise<void>;
}

const demoEnv = {
	RAMPART_DEMO: '1',
	DEMO_PASSWORD,
	// The demo's admin and security users sign in with a password only (as in playwright.config.ts).
	MFA_REQUIRED_ROLES: '',
	// Every browser test signs in from 127.0.0.1: more than one person's budget.
	REQUEST_BUDGET_BURST: '100000',
	REQUEST_BUDGET_PER_SECOND: '1000'
};

const STOP_TIMEOUT = 20_000;

/** Starts the server without waiting for it (see ready()). */
export function spawnOwnServer(
	port: number,
	env: Record<string, string> = {},
	options: OwnServerOptions = {}
): OwnServer {
	const { demo = true, host = '127.0.0.1', readyTimeout = 60_000 } = options;
	const base = `http://127.0.0.1:${port}`;
	const madeDataDir = options.dataDir === undefined;
	const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), `rampart-e2e-${port}-`));
	const child = spawn(process.execPath, ['build'], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			...process.env,
			HOST: host,
			PORT: String(port),
			ORIGIN: base,
			DATA_DIR: dataDir,
			...(demo ? demoEnv : {}),
			...env
		}
	});

	// Each stream is cut into lines on its own, so that a chunk of one never splits a line of the other.
	const lines: string[] = [];
	const rest = { stdout: '', stderr: '' };
	for (const stream of ['stdout', 'stderr'] as const) {
		child[stream].on('data', (chunk: Buffer) => {
			const parts = (rest[stream] + chunk.toString('utf8')).split('\n');
			rest[stream] = parts.pop()!;
			lines.push(...parts);
		});
	}
	const output = () => [...lines, rest.stdout, rest.stderr].filter(Boolean).join('\n');

	let exitCode: number | null | undefined;
	const exited = new Promise<number | null>((resolve) => {
		child.once('exit', (code) => resolve((exitCode = code)));
		child.once('error', (error) => {
			lines.push(String(error));
			// Not started at all (no 'exit' follows).
			if (child.pid === undefined) resolve((exitCode = null));
		});
	});

	async function ready() {
		const deadline = Date.now() + readyTimeout;
		while (Date.now() < deadline) {
			if (exitCode !== undefined)
				throw new Error(
					`the server on ${port} exited (${exitCode}) before it was ready:\n${output()}`
				);
			const ok = await fetch(`${base}/readyz`).then(
				(r) => r.ok,
				() => false
			);
			if (ok) return;
			await new Promise((r) => setTimeout(r, 200));
		}
		throw new Error(`the server on ${port} was not ready within ${readyTimeout} ms:\n${output()}`);
	}

	async function stop() {
		try {
			if (exitCode === undefined) {
				child.kill('SIGTERM');
				let timer: NodeJS.Timeout | undefined;
				const late = new Promise<'late'>((resolve) => {
					timer = setTimeout(() => resolve('late'), STOP_TIMEOUT);
				});
				const stopped = await Promise.race([exited, late]);
				clearTimeout(timer);
				if (stopped === 'late') {
					child.kill('SIGKILL');
					await exited;
					throw new Error(
						`the server on ${port} did not stop within ${STOP_TIMEOUT} ms of SIGTERM:\n${output()}`
					);
				}
			}
		} finally {
			if (madeDataDir) rmSync(dataDir, { recursive: true, force: true });
		}
	}

	return { port, base, dataDir, lines, output, exited, ready, stop };
}

/** Starts the server and waits until it is ready; stops it again if it is not. */
export async function startOwnServer(
	port: number,
	env: Record<string, string> = {},
	options: OwnServerOptions = {}
): Promise<OwnServer> {
	const server = spawnOwnServer(port, env, options);
	try {
		await server.ready();
	} catch (error) {
		await server.stop().catch(() => {});
		throw error;
	}
	return server;
}
