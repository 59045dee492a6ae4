import { describe, expect, it } from 'vitest';
import { apiError, handleApi, isApiPath } from './api';
import { bodyRefusal, handleBodyLimit } from './body-limit';
import { handleFormOrigin, isCrossSiteForm } from './form-origin';

/*
 * The hooks that make /api/ a JSON, cookie-free, token-only place while the rest of the app
 * keeps SvelteKit's cross-site form check and its 512 KB body limit.
 */

type Resolve = () => Response | Promise<Response>;
const event = (url: string, init: RequestInit = {}, routeId: string | null = null) =>
	({
		url: new URL(url),
		request: new Request(url, init),
		route: { id: routeId },
		locals: {}
	}) as never;
const run = (
	handle: typeof handleApi,
	e: ReturnType<typeof event>,
	resolve: Resolve = () => new Response('page')
) => handle({ event: e, resolve: resolve as never });

describe('the API hook', () => {
	it('knows the API by its path', () => {
		expect(isApiPath('/api/v1/scans')).toBe(true);
		expect(isApiPath('/api')).toBe(true);
		expect(isApiPath('/apis')).toBe(false);
		expect(isApiPath('/teams/api')).toBe(false);
	});

	it('turns an HTML error into JSON with the same status and Retry-After', async () => {
		const res = await run(
			handleApi,
			event('http://x/api/v1/scans'),
			() =>
				new Response('<html>Too many</html>', {
					status: 429,
					headers: { 'Content-Type': 'text/html', 'Retry-After': '7' }
				})
		);
		expect(res.status).toBe(429);
		expect(res.headers.get('content-type')).toBe('application/json');
		expect(res.headers.get('retry-after')).toBe('7');
		expect(await res.json()).toEqual({
			error: 'too_many_requests',
			message: expect.stringContaining('Retry-After')
		});
	});

	it('keeps SvelteKit’s JSON message and error id, and its own errors as they are', async () => {
		const kit = await run(handleApi, event('http://x/api/v1/nothing'), () =>
			Response.json({ message: 'Not found' }, { status: 404 })
		);
		expect(await kit.json()).toEqual({ error: 'not_found', message: 'Not found' });
		const crash = await run(handleApi, event('http://x/api/v1/scans'), () =>
			Response.json(
				{ message: 'Something went wrong on our side.', errorId: 'e-1' },
				{ status: 500 }
			)
		);
		expect(await crash.json()).toMatchObject({ error: 'internal_error', errorId: 'e-1' });
		const own = await run(handleApi, event('http://x/api/v1/scans'), () =>
			apiError(415, 'Send JSON.')
		);
		expect(await own.json()).toEqual({ error: 'unsupported_media_type', message: 'Send JSON.' });
	});

	it('never lets a cookie out and is never cached', async () => {
		const res = await run(handleApi, event('http://x/api/v1/teams/a/scores'), () => {
			const r = Response.json({ ok: true });
			r.headers.append('Set-Cookie', 'session=x; Path=/');
			return r;
		});
		expect(res.headers.get('set-cookie')).toBeNull();
		expect(res.headers.get('cache-control')).toBe('no-store');
		expect(await res.json()).toEqual({ ok: true });
	});

	it('leaves every other page alone', async () => {
		const res = await run(
			handleApi,
			event('http://x/teams'),
			() => new Response('<html>', { status: 404, headers: { 'Set-Cookie': 'a=b' } })
		);
		expect(res.headers.get('set-cookie')).toBe('a=b');
		expect(await res.text()).toBe('<html>');
	});
});

describe('the cross-site form check', () => {
	const post = (url: string, type: string, origin: string | null) =>
		event(url, {
			method: 'POST',
			body: 'a=b',
			headers: { 'content-type': type, ...(origin ? { origin } : {}) }
		});

	it('refuses a form from another site, or with no origin, as SvelteKit does', async () => {
		for (const [origin, type] of [
			['http://evil.example', 'application/x-www-form-urlencoded'],
			[null, 'multipart/form-data; boundary=x'],
			['http://evil.example', 'text/plain;charset=utf-8']
		] as const) {
			const res = await run(handleFormOrigin, post('http://x/login', type, origin));
			expect(res.status, `${origin} ${type}`).toBe(403);
			expect(await res.text()).toBe('Cross-site POST form submissions are forbidden');
		}
	});

	it('lets same-site forms, JSON and reads through', async () => {
		expect(
			(await run(handleFormOrigin, post('http://x/login', 'text/plain', 'http://x'))).status
		).toBe(200);
		expect(
			(await run(handleFormOrigin, post('http://x/login', 'application/json', 'http://evil')))
				.status
		).toBe(200);
		expect(isCrossSiteForm(new Request('http://x/login'), 'http://x')).toBe(false);
	});

	it('leaves the token-only API to answer for itself', async () => {
		const res = await run(
			handleFormOrigin,
			post('http://x/api/v1/scans', 'application/x-www-form-urlencoded', null)
		);
		expect(res.status).toBe(200);
	});
});

describe('the body limit', () => {
	const withLength = (length: string) =>
		new Request('http://x/', { method: 'POST', headers: { 'content-length': length } });

	it('keeps forms to 512 KB and lets uploads stream to their own limit', () => {
		expect(bodyRefusal(withLength('1000'), '/(public)/login')).toBeNull();
		expect(bodyRefusal(withLength(String(512 * 1024 + 1)), '/(public)/login')).toBe(413);
		expect(bodyRefusal(withLength(String(9_000_000)), '/api/v1/scans')).toBeNull();
		expect(bodyRefusal(withLength(String(9_000_000)), '/api/v1/sboms')).toBeNull();
		expect(bodyRefusal(withLength(String(9_000_000)), null)).toBe(413);
	});

	it('asks for a length when a form streams its body', async () => {
		const e = event('http://x/login', {
			method: 'POST',
			headers: { 'transfer-encoding': 'chunked' }
		});
		const res = await run(handleBodyLimit, e);
		expect(res.status).toBe(411);
	});
});
