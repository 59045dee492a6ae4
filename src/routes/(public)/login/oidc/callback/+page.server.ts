import { error, redirect } from '@sveltejs/kit';
import { allowAnonymous } from '$lib/server/auth/guard';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { providerConfiguration } from '$lib/server/auth/oidc/client';
import { takeFlowCookie } from '$lib/server/auth/oidc/flow-cookie';
import { auditOidcRefusal, completeOidcSignIn } from '$lib/server/auth/oidc/sign-in';
import { ssoSettings } from '$lib/server/auth/oidc/settings';
import { safeNextPath } from '$lib/server/http/safe-redirect';
import type { PageServerLoad } from './$types';

/** Where the provider sends the browser back: a session and the page asked for, or why not. */
export const load: PageServerLoad = async (event) => {
	allowAnonymous(event);
	const { oidc: settings, local } = ssoSettings();
	if (!settings) error(404, 'Single sign-on is not set up on this server.');
	const flow = takeFlowCookie(event.cookies, event.url);
	const meta = { ip: event.locals.ip, userAgent: event.request.headers.get('user-agent') ?? '' };
	let config;
	try {
		config = await providerConfiguration(settings);
	} catch {
		await auditOidcRefusal(event.locals.db, 'provider_unavailable', meta);
		return { reason: 'provider_unavailable' as const, provider: settings.name };
	}
	const result = await completeOidcSignIn(
		event.locals.db,
		settings,
		local,
		config,
		event.url,
		flow,
		meta
	);
	if (!result.ok) return { reason: result.reason, provider: settings.name };
	setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
	redirect(303, safeNextPath(flow?.next));
};
