import { afterEach, describe, expect, it, vi } from 'vitest';
import { log, logLine } from './log';

// Nothing a visitor sends may break a log line: no line break, no control character, no
// direction override, no separator that a log reader takes for a line break.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('logLine', () => {
	const now = new Date('2026-11-23T08:00:00Z');

	it('writes an error whose message and path hold "\\n" and "\\u0000" as exactly one line', () => {
		const error = new Error('first line\nFAKE {"level":"info"}\u0000\r\nthird');
		const path = '/teams/x\n{"level":"info","msg":"forged"}\u0000';
		const line = logLine('error', 'Request failed', { path, error }, now);
		expect(line.split(/\r\n|\r|\n/)).toHaveLength(1);
		expect(line).not.toMatch(UNSAFE);
		const parsed = JSON.parse(line);
		expect(parsed).toMatchObject({
			time: '2026-11-23T08:00:00.000Z',
			level: 'error',
			msg: 'Request failed',
			path,
			error: { name: 'Error', message: error.message }
		});
		expect(parsed.error.stack).toContain('first line\nFAKE');
	});

	it('escapes every control, separator and direction character, keeping the value readable back', () => {
		const all = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('');
		const value = `${all}\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069 é 🚀`;
		const line = logLine('warn', 'msg\nwith break', { email: value, [`key\n`]: 1 }, now);
		expect(line).not.toMatch(UNSAFE);
		expect(JSON.parse(line)).toMatchObject({ msg: 'msg\nwith break', email: value, 'key\n': 1 });
	});

	it('keeps an error’s cause and its own fields, such as a database error code', () => {
		const cause = Object.assign(new Error('duplicate key\nvalue'), { code: '23505' });
		const line = logLine('error', 'Save failed', { error: new Error('outer', { cause }) }, now);
		expect(line).not.toMatch(UNSAFE);
		expect(JSON.parse(line).error.cause).toMatchObject({
			message: 'duplicate key\nvalue',
			code: '23505'
		});
	});

	it('writes what it cannot serialise as text, and the other fields still', () => {
		const cyclic: Record<string, unknown> = { name: 'loop\n' };
		cyclic.self = cyclic;
		const line = logLine('info', 'm', { cyclic, n: 10n, ok: 'yes', gone: undefined }, now);
		expect(line).not.toMatch(UNSAFE);
		expect(JSON.parse(line)).toEqual({
			time: '2026-11-23T08:00:00.000Z',
			level: 'info',
			msg: 'm',
			cyclic: '[object Object]',
			n: '10',
			ok: 'yes'
		});
	});
});

describe('log', () => {
	afterEach(() => vi.restoreAllMocks());

	it('writes one line per event: errors and warnings to standard error, the rest to standard output', () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const info = vi.spyOn(console, 'log').mockImplementation(() => {});
		log.error('e', { path: '/a\nb' });
		log.warn('w');
		log.info('i');
		for (const spy of [error, warn, info]) {
			expect(spy).toHaveBeenCalledTimes(1);
			expect(spy.mock.calls[0]).toHaveLength(1);
			expect(String(spy.mock.calls[0]![0])).not.toMatch(UNSAFE);
		}
		expect(JSON.parse(error.mock.calls[0]![0])).toMatchObject({ level: 'error', path: '/a\nb' });
	});
});
