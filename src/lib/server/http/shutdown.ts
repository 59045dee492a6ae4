import { log } from '$lib/server/log';

/**
 * Graceful shutdown behind a load balancer. adapter-node stops listening as soon as it gets
 * SIGTERM or SIGINT (then waits for requests in flight, up to SHUTDOWN_TIMEOUT), so a balancer
 * that has not noticed yet would still send requests to a closed port. With
 * SHUTDOWN_DRAIN_SECONDS set, the first signal only starts draining: /readyz answers 503 (the
 * balancer's health check takes the instance out) while every request is still served, and the
 * adapter's own shutdown runs when the drain time is over. A second signal shuts down at once.
 */

export type ShutdownSignal = 'SIGTERM' | 'SIGINT';
const SIGNALS: readonly ShutdownSignal[] = ['SIGTERM', 'SIGINT'];

type Listener = (signal: ShutdownSignal) => void;

/** The part of `process` this module uses, so that a test can pass an EventEmitter. */
export type SignalTarget = Pick<NodeJS.EventEmitter, 'on' | 'off' | 'listeners'>;

let draining = false;

/** Whether this instance has been asked to stop (/readyz then answers 503). */
export function isShuttingDown(): boolean {
	return draining;
}

/** Reads SHUTDOWN_DRAIN_SECONDS (default 0: stop listening at once, as adapter-node does). */
export function drainSeconds(env: Record<string, string | undefined>): number {
	const raw = env.SHUTDOWN_DRAIN_SECONDS?.trim();
	if (!raw) return 0;
	const n = Number(raw);
	if (!Number.isFinite(n) || n < 0 || n > 300)
		throw new Error(`SHUTDOWN_DRAIN_SECONDS must be a number from 0 to 300, not "${raw}".`);
	return n;
}

/**
 * Puts the drain in front of the shutdown listeners that are added after this call (the server
 * adds adapter-node's right after the init hook, where this runs): they are taken off the signal
 * once the module graph has loaded and called when the drain is over. Returns a function that
 * undoes it (for tests).
 */
export function drainBeforeShutdown(
	target: SignalTarget,
	drainMs: number,
	settle: (run: () => void) => void = setImmediate
): () => void {
	draining = false;
	const deferred: Listener[] = [];
	let timer: ReturnType<typeof setTimeout> | undefined;
	let released = false;

	const release = (signal: ShutdownSignal) => {
		if (released) return;
		released = true;
		if (timer) clearTimeout(timer);
		for (const listener of deferred) listener(signal);
	};
	const onSignal = (signal: ShutdownSignal) => {
		if (draining) return release(signal);
		draining = true;
		log.info('Shutting down: /readyz answers 503, requests are served until the drain ends', {
			signal,
			drainSeconds: drainMs / 1000
		});
		timer = setTimeout(() => release(signal), drainMs);
	};
	for (const signal of SIGNALS) target.on(signal, onSignal);

	const existing = new Set(SIGNALS.flatMap((s) => target.listeners(s)));
	const adopt = () => {
		for (const signal of SIGNALS) {
			for (const listener of target.listeners(signal) as Listener[]) {
				if (existing.has(listener)) continue;
				target.off(signal, listener);
				// adapter-node listens to both signals with one function: call it once.
				if (!deferred.includes(listener)) deferred.push(listener);
			}
		}
		if (deferred.length) return;
		// Nothing to hand the signal to: leave it to Node (or whoever listens) as before.
		for (const signal of SIGNALS) target.off(signal, onSignal);
		log.warn('SHUTDOWN_DRAIN_SECONDS is set but no shutdown listener followed; not draining');
	};
	settle(adopt);

	return () => {
		if (timer) clearTimeout(timer);
		for (const signal of SIGNALS) target.off(signal, onSignal);
		draining = false;
	};
}

/**
 * Called last in the server's init hook: with SHUTDOWN_DRAIN_SECONDS above 0, drains before
 * adapter-node's shutdown (whose listeners the server adds right after init).
 */
export function drainOnShutdown(env: Record<string, string | undefined> = process.env): void {
	let seconds: number;
	try {
		seconds = drainSeconds(env);
	} catch (e) {
		log.error(`Rampart cannot start: ${(e as Error).message}`);
		process.exit(1);
	}
	if (seconds > 0) drainBeforeShutdown(process, seconds * 1000);
}
