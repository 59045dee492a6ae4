import type { Cookies } from '@sveltejs/kit';

/** Over https the cookie gets the __Host- prefix (Secure, Path=/, no Domain) as well. */
export function sessionCookieName(url: URL): string {
	return url.protocol === 'https:' ? '__Host-rampart_session' : 'rampart_session';
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date) {
	cookies.set(sessionCookieName(url), token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: url.protocol === 'https:',
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, url: URL) {
	cookies.delete(sessionCookieName(url), {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: url.protocol === 'https:'
	});
}
