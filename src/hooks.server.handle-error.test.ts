import { afterEach, describe, expect, it, vi } from 'vitest';
import { handleError } from './hooks.server';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('handleError', () => {
	afterEach(() => vi.restoreAllMocks());

	it('logs an error whose message and path hold "\\n" and "\\u0000" as exactly one line', async () => {
		const written = vi.spyOn(console, 'error').mockImplementation(() => {});
		const path = '/teams/x\n{"level":"info","msg":"forged"}\u0000';
		const error = new Error('boom\n[00000000] GET /forged\u0000');
		const event = {
			request: new Request('http://127.0.0.1/teams/x', { method: 'POST' }),
			url: { pathname: path },
			locals: {} as { errorId?: string }
		};
		const body = await handleError({
			error,
			event,
			status: 500,
			message: 'Internal Error'
		} as never);
		expect(written).toHaveBeenCalledTimes(1);
		// The id is kept for the API's JSON error (hooks rewrite it there).
		expect(event.locals.errorId).toMatch(/^[0-9a-f-]{36}$/);
		const [line, ...rest] = written.mock.calls[0]!;
		expect(rest).toEqual([]);
		expect(String(line)).not.toMatch(UNSAFE);
		const entry = JSON.parse(String(line));
		expect(entry).toMatchObject({
			level: 'error',
			msg: 'Request failed',
			method: 'POST',
			path,
			status: 500,
			error: { message: error.message }
		});
		// The person sees the id that finds this line, and nothing of the error.
		expect(body).toEqual({ message: 'Something went wrong on our side.', errorId: entry.errorId });
	});

	it('logs a request that failed for want of the database with the 503 it is answered with', async () => {
		const written = vi.spyOn(console, 'error').mockImplementation(() => {});
		const event = {
			request: new Request('http://127.0.0.1/teams'),
			url: new URL('http://127.0.0.1/teams'),
			locals: {} as { errorId?: string }
		};
		const error = Object.assign(new Error('write CONNECT_TIMEOUT 127.0.0.1:5432'), {
			code: 'CONNECT_TIMEOUT'
		});
		const body = await handleError({
			error,
			event,
			status: 500,
			message: 'Internal Error'
		} as never);
		const entry = JSON.parse(String(written.mock.calls[0]![0]));
		expect(entry).toMatchObject({ msg: 'Request failed', status: 503 });
		expect(body).toEqual({
			message: 'The database is not available right now. Try again in a moment.',
			errorId: entry.errorId
		});
	});

	it('logs nothing for a page that is not there', async () => {
		const written = vi.spyOn(console, 'error').mockImplementation(() => {});
		const event = {
			request: new Request('http://127.0.0.1/x'),
			url: new URL('http://127.0.0.1/x')
		};
		const body = await handleError({
			error: new Error('nf'),
			event,
			status: 404,
			message: 'Not Found'
		} as never);
		expect(body).toEqual({ message: 'Not found' });
		expect(written).not.toHaveBeenCalled();
	});
});
