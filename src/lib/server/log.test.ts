import { afterEach, describe, expect, it, vi } from 'vitest';
import { configureLog, flushLog, log, logLine, logs, logSettings, prettyLine } from './log';

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
		const info = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
		log.error('e', { path: '/a\nb' });
		log.warn('w');
		log.info('i');
		flushLog();
		for (const spy of [error, warn, info]) {
			expect(spy).toHaveBeenCalledTimes(1);
			expect(String(spy.mock.calls[0]![0]).trimEnd()).not.toMatch(UNSAFE);
		}
		expect(JSON.parse(error.mock.calls[0]![0])).toMatchObject({ level: 'error', path: '/a\nb' });
		expect(JSON.parse(String(info.mock.calls[0]![0]))).toMatchObject({ level: 'info', msg: 'i' });
	});

	it('writes the information lines of one turn of the event loop together, each on its own line', async () => {
		const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
		log.info('one', { n: 1 });
		log.info('two\nthree');
		expect(out).not.toHaveBeenCalled();
		await new Promise((resolve) => setImmediate(resolve));
		expect(out).toHaveBeenCalledTimes(1);
		const lines = String(out.mock.calls[0]![0]).split('\n');
		expect(lines.pop()).toBe('');
		expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['one', 'two\nthree']);
	});
});

describe('prettyLine', () => {
	const now = new Date('2026-11-23T08:00:00.123Z');

	it('reads as time, level, message and key=value, plain words bare and the rest quoted', () => {
		const line = prettyLine('info', 'request', { route: '/(app)/teams/[slug]', status: 200 }, now);
		expect(line).toBe('08:00:00.123 INFO  request route=/(app)/teams/[slug] status=200');
		expect(prettyLine('warn', 'a b', { who: 'Ann Lee', gone: undefined }, now)).toBe(
			'08:00:00.123 WARN  a b who="Ann Lee"'
		);
	});

	it('stays one line with no control or direction character, whatever the message and fields', () => {
		const forged = 'x\n08:00:00.000 INFO  forged\u001b[2J\u202e\u2028';
		const line = prettyLine('error', forged, { [forged]: forged, error: new Error(forged) }, now);
		expect(line.split(/\r\n|\r|\n/)).toHaveLength(1);
		expect(line).not.toMatch(UNSAFE);
	});
});

describe('logSettings', () => {
	it('is info, JSON to a file or pipe and pretty to a terminal, unless LOG_LEVEL and LOG_FORMAT say', () => {
		expect(logSettings({}, false)).toEqual({ level: 'info', format: 'json' });
		expect(logSettings({}, true)).toEqual({ level: 'info', format: 'pretty' });
		expect(logSettings({ LOG_LEVEL: ' DEBUG ', LOG_FORMAT: 'json' }, true)).toEqual({
			level: 'debug',
			format: 'json'
		});
		expect(logSettings({ LOG_LEVEL: 'error', LOG_FORMAT: 'pretty' }, false)).toEqual({
			level: 'error',
			format: 'pretty'
		});
	});

	it('refuses a level or format it does not know, naming the variable', () => {
		expect(() => logSettings({ LOG_LEVEL: 'verbose' }, false)).toThrow(/LOG_LEVEL must be one of/);
		expect(() => logSettings({ LOG_FORMAT: 'xml' }, false)).toThrow(/LOG_FORMAT must be one of/);
	});
});

describe('log levels', () => {
	afterEach(() => {
		configureLog({ level: 'info', format: 'json' });
		vi.restoreAllMocks();
	});

	it('writes only events at LOG_LEVEL or more important', () => {
		const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
		const err = vi.spyOn(console, 'error').mockImplementation(() => {});
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		configureLog({ level: 'warn', format: 'json' });
		log.debug('d');
		log.info('i');
		log.warn('w');
		log.error('e');
		flushLog();
		expect(out).not.toHaveBeenCalled();
		expect(warn).toHaveBeenCalledTimes(1);
		expect(err).toHaveBeenCalledTimes(1);
		configureLog({ level: 'debug', format: 'pretty' });
		expect(logs('debug')).toBe(true);
		log.debug('d', { n: 1 });
		flushLog();
		expect(out).toHaveBeenCalledTimes(1);
		expect(String(out.mock.calls[0]![0])).toMatch(/^\d\d:\d\d:\d\d\.\d{3} DEBUG d n=1\n$/);
	});
});
