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

/** The browser's half of a password-less passkey challenge (see passkey-sign-in.ts). */
export function passkeyCookieName(url: URL): string {
	return url.protocol === 'https:' ? '__Host-rampart_passkey' : 'rampart_passkey';
}

export function setPasskeyCookie(cookies: Cookies, url: URL, value: string, maxAgeSeconds: number) {
	cookies.set(passkeyCookieName(url), value, {
		httpOnly: true,
		sameSite: 'strict',
		path: '/',
		secure: url.protocol === 'https:',
		maxAge: maxAgeSeconds
	});
}

/** Reads and forgets the passkey challenge cookie: each challenge is answered once. */
export function takePasskeyCookie(cookies: Cookies, url: URL): string | null {
	const value = cookies.get(passkeyCookieName(url)) ?? null;
	cookies.delete(passkeyCookieName(url), {
		httpOnly: true,
		sameSite: 'strict',
		path: '/',
		secure: url.protocol === 'https:'
	});
	return value;
}
