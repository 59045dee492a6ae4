import { fail, redirect } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { passkeySignInSchema } from '$lib/schemas/two-factor';
import { allowAnonymous } from '$lib/server/auth/guard';
import { setSessionCookie, takePasskeyCookie } from '$lib/server/auth/cookie';
import { ssoSettings } from '$lib/server/auth/oidc/settings';
import { relyingParty } from '$lib/server/auth/passkeys';
import { signInWithPasskey } from '$lib/server/auth/passkey-sign-in';
import { safeNextPath } from '$lib/server/http/safe-redirect';
import type { Actions, PageServerLoad } from './$types';

/** Nothing to show here: the sign-in page holds the passkey button. */
export const load: PageServerLoad = (event) => {
	allowAnonymous(event);
	redirect(303, '/login');
};

const refused = 'That passkey was not accepted. Try again, or sign in with your password.';

export const actions: Actions = {
	/** The answer of the passkey the person picked on /login (its button's form, sent by script). */
	default: async (event) => {
		allowAnonymous(event);
		const browserToken = takePasskeyCookie(event.cookies, event.url);
		const parsed = parseForm(passkeySignInSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure({ passkey: refused }, { action: 'passkey' }));
		const { oidc, local } = ssoSettings();
		const result = await signInWithPasskey(event.locals.db, parsed.data, {
			ip: event.locals.ip,
			userAgent: event.request.headers.get('user-agent') ?? '',
			browserToken,
			rp: relyingParty(event.url),
			local
		});
		if (!result.ok && result.reason === 'throttled') {
			event.setHeaders({ 'Retry-After': String(result.retryAfterSeconds) });
			const passkey = `Too many failed sign-ins. Try again in ${result.retryAfterSeconds} seconds.`;
			return fail(429, formFailure({ passkey }, { action: 'passkey' }));
		}
		if (!result.ok && result.reason === 'local_passwords_off') {
			const passkey = `Sign in with ${oidc?.name ?? 'single sign-on'}: passkeys alone are turned off here, as passwords are.`;
			return fail(403, formFailure({ passkey }, { action: 'passkey' }));
		}
		if (!result.ok) return fail(400, formFailure({ passkey: refused }, { action: 'passkey' }));
		setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
		redirect(303, safeNextPath(event.url.searchParams.get('next')));
	}
};
