import type { Cookies } from '@sveltejs/kit';
import type { OidcFlow } from './client';

/** A sign-in at the provider must come back within this time. */
export const FLOW_MAX_AGE_SECONDS = 10 * 60;

/** Over https the cookie gets the __Host- prefix (Secure, Path=/, no Domain), like the session's. */
function cookieName(url: URL): string {
	return url.protocol === 'https:' ? '__Host-rampart_oidc' : 'rampart_oidc';
}

function options(url: URL) {
	return {
		httpOnly: true,
		// Lax: the provider sends the browser back with a top-level GET, which carries it.
		sameSite: 'lax' as const,
		path: '/',
		secure: url.protocol === 'https:'
	};
}

/** Keeps a started flow's state, nonce and PKCE verifier in the browser that started it. */
export function setFlowCookie(cookies: Cookies, url: URL, flow: OidcFlow) {
	const value = Buffer.from(JSON.stringify(flow)).toString('base64url');
	cookies.set(cookieName(url), value, { ...options(url), maxAge: FLOW_MAX_AGE_SECONDS });
}

/** The flow this browser started, or null; the cookie is removed either way (one use). */
export function takeFlowCookie(cookies: Cookies, url: URL): OidcFlow | null {
	const raw = cookies.get(cookieName(url));
	if (raw === undefined) return null;
	cookies.delete(cookieName(url), options(url));
	try {
		const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
		if (typeof parsed !== 'object' || parsed === null) return null;
		const { state, nonce, verifier, next } = parsed as Record<string, unknown>;
		if (![state, nonce, verifier, next].every((v) => typeof v === 'string' && v.length > 0)) {
			return null;
		}
		return { state, nonce, verifier, next } as OidcFlow;
	} catch {
		return null;
	}
}
