import { json } from '@sveltejs/kit';
import { allowAnonymous } from '$lib/server/auth/guard';
import { setPasskeyCookie } from '$lib/server/auth/cookie';
import { CHALLENGE_MS } from '$lib/server/auth/passkeys';
import { createSignInChallenge } from '$lib/server/auth/passkey-sign-in';
import type { RequestHandler } from './$types';

/** A challenge for signing in with a passkey alone, bound to this browser by a cookie. */
export const POST: RequestHandler = async (event) => {
	allowAnonymous(event);
	const { challenge, browserToken } = await createSignInChallenge(event.locals.db);
	setPasskeyCookie(event.cookies, event.url, browserToken, CHALLENGE_MS / 1000);
	return json({ challenge }, { headers: { 'Cache-Control': 'no-store' } });
};
