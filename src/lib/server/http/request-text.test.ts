import { describe, expect, it, vi } from 'vitest';
import { handleRequestText, refusedStatus } from './request-text';

const at = (path: string) => new URL(path, 'http://127.0.0.1:6400');

describe('refusedStatus', () => {
	it.each([
		'/teams/%00',
		'/teams/a%00b',
		'/teams/%01',
		'/teams/%0a',
		'/teams/%0D%0Aforged',
		'/teams/%09',
		'/teams/%1B[31m',
		'/teams/%1f',
		'/teams/%7F',
		'/teams/%C2%80',
		'/teams/%C2%85',
		'/teams/%c2%9f',
		// A raw NUL (at the end it is stripped by the URL parser, as leading and trailing spaces are).
		'/teams/a\u0000b',
		'/teams/%',
		'/teams/%2',
		'/teams/%zz',
		'/teams/%FF',
		'/teams/%C3',
		'/teams/%E0%A4%A',
		'/teams/%C0%80',
		'/teams/%ED%A0%80',
		'/teams/%F4%90%80%80',
		'/teams/%25%',
		'/admin/users/%00/edit'
	])('answers 404 for the path %s', (path) => {
		expect(refusedStatus(at(path))).toBe(404);
	});

	it.each([
		'/admin/audit?action=%00',
		'/admin/audit?action=a%00b',
		'/admin/audit?action=%0A',
		'/admin/audit?action=%0d%0aforged',
		'/admin/audit?action=%09',
		'/admin/audit?action=%7f',
		'/admin/audit?action=%C2%85',
		'/admin/audit?action=a\u0000b',
		'/admin/audit?%00=x',
		'/dashboard?cycle=%',
		'/dashboard?cycle=%zz',
		'/dashboard?cycle=%FF',
		'/dashboard?cycle=%E0%A4%A',
		'/dashboard?cycle=2026-Q4&sort=%C0%80'
	])('answers 400 for the query %s', (path) => {
		expect(refusedStatus(at(path))).toBe(400);
	});

	it('answers 404 when both path and query are unreadable', () => {
		expect(refusedStatus(at('/teams/%00?action=%00'))).toBe(404);
	});

	it.each([
		'/',
		'/teams/payments-api',
		'/teams/payments-api/assessments/2026-Q4/build',
		'/dashboard?cycle=2026-Q4&sort=score',
		'/login?next=%2Fteams%2Fpayments-api%3Fx%3D1',
		'/admin/audit?action=team.created&before=120',
		'/search?q=caf%C3%A9+cr%C3%A8me',
		'/search?q=%E2%80%AE',
		'/search?q=%F0%9F%9A%80',
		'/a%20b?c=%25d',
		'/teams/%7E',
		'/_app/immutable/entry/start.BxN2k3.js'
	])('lets %s through', (path) => {
		expect(refusedStatus(at(path))).toBeNull();
	});
});

describe('handleRequestText', () => {
	const run = async (path: string) => {
		const resolve = vi.fn(async () => new Response('page'));
		const response = await handleRequestText({
			event: { url: at(path) } as never,
			resolve
		});
		return { response, resolved: resolve.mock.calls.length > 0 };
	};

	it('answers an unreadable path with 404 and a query with 400, before any route runs', async () => {
		const path = await run('/teams/%00');
		expect(path.resolved).toBe(false);
		expect(path.response.status).toBe(404);
		expect(path.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(await path.response.text()).toContain('<h1>Not found</h1>');
		const query = await run('/admin/audit?action=%00');
		expect(query.resolved).toBe(false);
		expect(query.response.status).toBe(400);
		expect(await query.response.text()).toContain('<h1>Bad request</h1>');
		expect((await run('/teams/%E0%A4%A')).response.status).toBe(404);
		expect((await run('/dashboard?cycle=%')).response.status).toBe(400);
	});

	it('leaves a normal request to the routes', async () => {
		const normal = await run('/teams/payments-api?tab=tools');
		expect(normal.resolved).toBe(true);
		expect(await normal.response.text()).toBe('page');
	});
});
