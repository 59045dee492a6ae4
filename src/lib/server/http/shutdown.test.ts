import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drainBeforeShutdown, drainSeconds, isShuttingDown } from './shutdown';

/** Runs the deferred adoption when the test says the module graph has loaded. */
function manualSettle() {
	let run: (() => void) | undefined;
	return { settle: (r: () => void) => void (run = r), loaded: () => run?.() };
}

describe('draining before shutdown', () => {
	let undo: (() => void) | undefined;
	afterEach(() => {
		undo?.();
		vi.useRealTimers();
	});

	it('answers not ready at once and runs the server’s own shutdown after the drain', () => {
		vi.useFakeTimers();
		const target = new EventEmitter();
		const earlier = vi.fn();
		target.on('SIGTERM', earlier);
		const { settle, loaded } = manualSettle();
		undo = drainBeforeShutdown(target, 3000, settle);
		const adapterShutdown = vi.fn();
		target.on('SIGTERM', adapterShutdown);
		target.on('SIGINT', adapterShutdown);
		loaded();

		expect(isShuttingDown()).toBe(false);
		target.emit('SIGTERM', 'SIGTERM');
		expect(isShuttingDown()).toBe(true);
		// Listeners from before are left alone; the adapter's waits for the drain.
		expect(earlier).toHaveBeenCalledTimes(1);
		expect(adapterShutdown).not.toHaveBeenCalled();
		vi.advanceTimersByTime(2999);
		expect(adapterShutdown).not.toHaveBeenCalled();
		vi.advanceTimersByTime(1);
		expect(adapterShutdown).toHaveBeenCalledTimes(1);
		expect(adapterShutdown).toHaveBeenCalledWith('SIGTERM');
		vi.advanceTimersByTime(10_000);
		expect(adapterShutdown).toHaveBeenCalledTimes(1);
	});

	it('shuts down at once on a second signal, and only once', () => {
		vi.useFakeTimers();
		const target = new EventEmitter();
		const { settle, loaded } = manualSettle();
		undo = drainBeforeShutdown(target, 30_000, settle);
		const adapterShutdown = vi.fn();
		target.on('SIGTERM', adapterShutdown);
		target.on('SIGINT', adapterShutdown);
		loaded();

		target.emit('SIGTERM', 'SIGTERM');
		target.emit('SIGINT', 'SIGINT');
		expect(adapterShutdown).toHaveBeenCalledTimes(1);
		expect(adapterShutdown).toHaveBeenCalledWith('SIGINT');
		vi.advanceTimersByTime(60_000);
		expect(adapterShutdown).toHaveBeenCalledTimes(1);
	});

	it('steps aside when no shutdown listener follows, so the signal still stops the process', () => {
		const target = new EventEmitter();
		const { settle, loaded } = manualSettle();
		undo = drainBeforeShutdown(target, 3000, settle);
		expect(target.listenerCount('SIGTERM')).toBe(1);
		loaded();
		expect(target.listenerCount('SIGTERM')).toBe(0);
		expect(target.listenerCount('SIGINT')).toBe(0);
	});

	it('reads SHUTDOWN_DRAIN_SECONDS and refuses nonsense', () => {
		expect(drainSeconds({})).toBe(0);
		expect(drainSeconds({ SHUTDOWN_DRAIN_SECONDS: ' 5 ' })).toBe(5);
		expect(drainSeconds({ SHUTDOWN_DRAIN_SECONDS: '0.5' })).toBe(0.5);
		for (const bad of ['-1', 'soon', '301', 'Infinity'])
			expect(() => drainSeconds({ SHUTDOWN_DRAIN_SECONDS: bad })).toThrow(/SHUTDOWN_DRAIN_SECONDS/);
	});
});
