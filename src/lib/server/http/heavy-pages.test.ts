import { describe, expect, it } from 'vitest';
import { Gate } from './heavy-pages';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('the gate in front of organisation-sized pages', () => {
	it('runs at most `limit` at once and the rest in arrival order', async () => {
		const gate = new Gate(2);
		let running = 0;
		let most = 0;
		const order: number[] = [];
		const releases: (() => void)[] = [];
		const jobs = [0, 1, 2, 3, 4].map((i) =>
			gate.run(async () => {
				running++;
				most = Math.max(most, running);
				order.push(i);
				await new Promise<void>((r) => releases.push(r));
				running--;
				return i;
			})
		);
		await tick();
		expect(order).toEqual([0, 1]);
		expect(gate.waiting).toBe(3);
		while (releases.length) {
			releases.shift()!();
			await tick();
		}
		expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4]);
		expect(order).toEqual([0, 1, 2, 3, 4]);
		expect(most).toBe(2);
		expect(gate.active).toBe(0);
	});

	it('frees the slot when the work fails', async () => {
		const gate = new Gate(1);
		await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		expect(gate.active).toBe(0);
		expect(await gate.run(async () => 'next')).toBe('next');
	});

	it('refuses a gate that lets nothing through', () => {
		expect(() => new Gate(0)).toThrow();
	});
});

describe('the heavy routes', () => {
	it('name pages that exist', async () => {
		const { existsSync } = await import('node:fs');
		const { heavyRoutes } = await import('./heavy-pages');
		for (const id of heavyRoutes) expect(existsSync(`src/routes${id}/+page.svelte`), id).toBe(true);
	});
});
