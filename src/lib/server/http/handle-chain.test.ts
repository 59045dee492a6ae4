import { describe, expect, it } from 'vitest';
import type { Handle, RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { handleChain } from './handle-chain';

const event = { url: new URL('http://127.0.0.1/x'), locals: {} } as unknown as RequestEvent;

/** A handle that notes its name going in and coming out, and passes `options` on if given. */
function noting(name: string, seen: string[], options?: ResolveOptions): Handle {
	return async ({ event, resolve }) => {
		seen.push(`${name} in`);
		const response = await resolve(event, options);
		seen.push(`${name} out`);
		return response;
	};
}

describe('handleChain', () => {
	it('runs the handles in order around the app, each seeing the event the one before passed', async () => {
		const seen: string[] = [];
		const replaced = { ...event, locals: { marked: true } } as unknown as RequestEvent;
		const handle = handleChain(
			noting('a', seen),
			({ resolve }) => resolve(replaced),
			noting('b', seen)
		);
		const response = await handle({
			event,
			resolve: async (e) => {
				seen.push(`app ${JSON.stringify(e.locals)}`);
				return new Response('ok');
			}
		});
		expect(await response.text()).toBe('ok');
		expect(seen).toEqual(['a in', 'b in', 'app {"marked":true}', 'b out', 'a out']);
	});

	it('stops where a handle answers without resolving', async () => {
		const seen: string[] = [];
		const handle = handleChain(
			noting('a', seen),
			() => new Response('refused', { status: 403 }),
			noting('b', seen)
		);
		const response = await handle({ event, resolve: () => new Response('app') });
		expect(response.status).toBe(403);
		expect(seen).toEqual(['a in', 'a out']);
	});

	it("hands the app the options a handle passed, an inner handle's replacing an outer one's", async () => {
		const outer: ResolveOptions = { preload: () => false };
		const inner: ResolveOptions = { preload: () => true };
		const got: (ResolveOptions | undefined)[] = [];
		const app = (_: RequestEvent, options?: ResolveOptions) => {
			got.push(options);
			return new Response('app');
		};
		await handleChain(noting('a', [], outer), noting('b', []))({ event, resolve: app });
		await handleChain(noting('a', [], outer), noting('b', [], inner))({ event, resolve: app });
		await handleChain(noting('a', []))({ event, resolve: app });
		expect(got).toEqual([outer, inner, undefined]);
	});

	it('with no handles, is the app', async () => {
		const response = await handleChain()({ event, resolve: () => new Response('app') });
		expect(await response.text()).toBe('app');
	});
});
