import { describe, expect, it } from 'vitest';
import { isLoopback, metricsAccess, metricsToken, sameToken } from './metrics-access';

const TOKEN = 'metrics-token-for-tests-0123456789';
const h = (init: Record<string, string> = {}) => new Headers(init);

describe('who may read /metrics', () => {
	it('with METRICS_TOKEN: the bearer of that token, from any address', () => {
		const auth = h({ authorization: `Bearer ${TOKEN}` });
		expect(metricsAccess(auth, '192.0.2.7', TOKEN)).toEqual({ allowed: true });
		expect(metricsAccess(h({ authorization: `bearer  ${TOKEN} ` }), '::1', TOKEN).allowed).toBe(
			true
		);
	});

	it('with METRICS_TOKEN: no token, another token, a prefix of it or another scheme get 401, from loopback too', () => {
		for (const authorization of [
			undefined,
			'Bearer wrong-token-wrong-token-wrong',
			`Bearer ${TOKEN.slice(0, -1)}`,
			`Bearer ${TOKEN}x`,
			`Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`,
			`Bearer ${TOKEN} extra`,
			TOKEN
		]) {
			const headers = authorization ? h({ authorization }) : h();
			const access = metricsAccess(headers, '127.0.0.1', TOKEN);
			expect(access, authorization).toMatchObject({ allowed: false, status: 401 });
		}
		expect(metricsAccess(h({ authorization: 'Bearer nope' }), '127.0.0.1', TOKEN)).toEqual({
			allowed: false,
			status: 401,
			challenge: 'Bearer realm="rampart-metrics", error="invalid_token"'
		});
	});

	it('without METRICS_TOKEN: this machine only, and not through a proxy; others get 404', () => {
		for (const address of ['127.0.0.1', '127.8.0.2', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'])
			expect(metricsAccess(h(), address, null), address).toEqual({ allowed: true });
		for (const address of [
			'192.0.2.2',
			'10.0.0.1',
			'::2',
			'fe80::1',
			'::ffff:10.0.0.1',
			'unknown',
			''
		])
			expect(metricsAccess(h(), address, null), address).toEqual({ allowed: false, status: 404 });
		for (const header of ['forwarded', 'x-forwarded-for', 'x-real-ip', 'x-forwarded-host'])
			expect(metricsAccess(h({ [header]: '203.0.113.9' }), '127.0.0.1', null), header).toEqual({
				allowed: false,
				status: 404
			});
		// A token sent when none is set opens nothing either.
		expect(metricsAccess(h({ authorization: `Bearer ${TOKEN}` }), '192.0.2.2', null).allowed).toBe(
			false
		);
	});

	it('reads METRICS_TOKEN: unset, or long and without spaces', () => {
		expect(metricsToken({})).toBeNull();
		expect(metricsToken({ METRICS_TOKEN: '  ' })).toBeNull();
		expect(metricsToken({ METRICS_TOKEN: ` ${TOKEN} ` })).toBe(TOKEN);
		expect(() => metricsToken({ METRICS_TOKEN: 'short' })).toThrow(/at least 24/);
		expect(() => metricsToken({ METRICS_TOKEN: `${TOKEN} ${TOKEN}` })).toThrow(/METRICS_TOKEN/);
	});

	it('compares tokens whole', () => {
		expect(sameToken(TOKEN, TOKEN)).toBe(true);
		expect(sameToken(TOKEN.slice(1), TOKEN)).toBe(false);
		expect(sameToken('', TOKEN)).toBe(false);
		expect(isLoopback('127.0.0.1')).toBe(true);
		expect(isLoopback('128.0.0.1')).toBe(false);
	});
});
