import { describe, expect, it } from 'vitest';
import { requestIdOf, requestLevel } from './request-log';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the request id', () => {
	it('keeps a well-formed X-Request-Id from a proxy in front', () => {
		for (const id of [
			'6b1f0a2c-93d4-4e1e-9d55-0c2f8f1a9b7e',
			'C0A80001:D2F4_5F9A1B2C.0001',
			'abcdefgh'
		])
			expect(requestIdOf(new Headers({ 'x-request-id': id }))).toBe(id);
	});

	it('replaces anything else by a new UUID: too short, too long, spaces, quotes, line breaks, JSON', () => {
		for (const id of [
			'',
			'short',
			'a'.repeat(65),
			'has space inside',
			'x\t{"level":"info"}',
			'"quoted-id-value"',
			'-starts-with-dash',
			'id%0aforged-line',
			'ünïcödé-ïd-välüe'
		])
			expect(requestIdOf(new Headers(id ? { 'x-request-id': id } : {})), id).toMatch(UUID);
		const a = requestIdOf(new Headers());
		expect(a).not.toBe(requestIdOf(new Headers()));
	});
});

describe('how loud a request’s line is', () => {
	it('probes at debug, server errors at warn, the rest at info', () => {
		expect(requestLevel('/readyz', 200)).toBe('debug');
		expect(requestLevel('/metrics', 401)).toBe('debug');
		expect(requestLevel('/(app)/teams/[slug]', 200)).toBe('info');
		expect(requestLevel(null, 404)).toBe('info');
		expect(requestLevel('/readyz', 503)).toBe('warn');
		expect(requestLevel('/(app)/dashboard', 500)).toBe('warn');
	});
});
