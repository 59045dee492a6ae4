import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import {
	IP_MAX_FAILURES,
	IP_WINDOW_MS,
	checkLoginThrottle,
	clearAccountFailures,
	recordLoginFailure,
	throttleDecision
} from './login-throttle';

const now = new Date('2026-03-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);

describe('throttle rules', () => {
	it('allows until 10 failures from one address within 10 minutes, then says how long to wait', () => {
		const nine = Array.from({ length: 9 }, (_, i) => ago(10 + i));
		expect(throttleDecision(nine, [], now)).toEqual({ allowed: true });
		const ten = [ago(5), ...nine];
		const d = throttleDecision(ten, [], now);
		expect(d.allowed).toBe(false);
		// The 10th newest failure was 18 s ago: the block lifts when it is 10 minutes old.
		expect(d).toEqual({ allowed: false, retryAfterSeconds: IP_WINDOW_MS / 1000 - 18 });
	});
	it('forgets failures older than the window', () => {
		const old = Array.from({ length: 20 }, (_, i) => ago(601 + i));
		expect(throttleDecision(old, [], now)).toEqual({ allowed: true });
	});
	it('makes an account wait longer after each failure beyond the first three', () => {
		expect(throttleDecision([], [ago(0.1), ago(20), ago(30)], now)).toEqual({
			allowed: false,
			retryAfterSeconds: 1
		});
		const six = [ago(1), ago(20), ago(30), ago(40), ago(50), ago(60)];
		expect(throttleDecision([], six, now)).toEqual({ allowed: false, retryAfterSeconds: 7 });
		expect(throttleDecision([], [ago(9), ...six.slice(1)], now)).toEqual({ allowed: true });
	});
	it('caps the account delay at five minutes', () => {
		const many = Array.from({ length: 40 }, (_, i) => ago(1 + i));
		expect(throttleDecision([], many, now)).toEqual({ allowed: false, retryAfterSeconds: 299 });
	});
});

describe('throttle state in the database', () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await createTestDatabase();
	});
	afterAll(() => handle.close());

	it('blocks an address after 10 failures across different accounts', async () => {
		const t = new Date();
		for (let i = 0; i < IP_MAX_FAILURES; i++) {
			await recordLoginFailure(handle.db, '203.0.113.9', `user${i}@example.com`, t);
		}
		const d = await checkLoginThrottle(handle.db, '203.0.113.9', 'someone@example.com', t);
		expect(d.allowed).toBe(false);
		const other = await checkLoginThrottle(handle.db, '198.51.100.1', 'someone@example.com', t);
		expect(other.allowed).toBe(true);
	});

	it('slows one account whatever the address, until a success clears it', async () => {
		const t = new Date();
		for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']) {
			await recordLoginFailure(handle.db, ip, 'target@example.com', t);
		}
		expect((await checkLoginThrottle(handle.db, '10.0.0.5', 'target@example.com', t)).allowed).toBe(
			false
		);
		await clearAccountFailures(handle.db, 'target@example.com');
		expect((await checkLoginThrottle(handle.db, '10.0.0.5', 'target@example.com', t)).allowed).toBe(
			true
		);
	});
});
