import { error, redirect } from '@sveltejs/kit';
import { allowAnonymous } from '$lib/server/auth/guard';
import { providerConfiguration, startFlow } from '$lib/server/auth/oidc/client';
import { setFlowCookie } from '$lib/server/auth/oidc/flow-cookie';
import { ssoSettings } from '$lib/server/auth/oidc/settings';
import { safeNextPath } from '$lib/server/http/safe-redirect';
import { log } from '$lib/server/log';
import type { RequestHandler } from './$types';

/** Starts a sign-in at the OpenID provider: state, nonce and PKCE verifier go in a cookie. */
export const GET: RequestHandler = async (event) => {
	allowAnonymous(event);
	const settings = ssoSettings().oidc;
	if (!settings) error(404, 'Single sign-on is not set up on this server.');
	let config;
	try {
		config = await providerConfiguration(settings);
	} catch (e) {
		log.warn('OpenID provider discovery failed', {
			issuer: settings.issuer.href,
			error: e instanceof Error ? e.message : String(e)
		});
		error(503, `${settings.name} cannot be reached right now. Try again in a moment.`);
	}
	const next = safeNextPath(event.url.searchParams.get('next'));
	const callback = new URL('/login/oidc/callback', event.url.origin).href;
	const { url, flow } = await startFlow(config, settings, callback, next);
	setFlowCookie(event.cookies, event.url, flow);
	redirect(303, url.href);
};
