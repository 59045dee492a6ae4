import { fail, redirect } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { loginSchema } from '$lib/schemas/auth';
import { allowAnonymous } from '$lib/server/auth/guard';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { hasUsers, signIn } from '$lib/server/auth/sign-in';
import { safeNextPath } from '$lib/server/http/safe-redirect';
import { ssoSettings } from '$lib/server/auth/oidc/settings';
import { passwordSignInRefused } from '$lib/server/auth/oidc/sign-in';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	allowAnonymous(event);
	if (event.locals.user) redirect(303, safeNextPath(event.url.searchParams.get('next')));
	if (!(await hasUsers(event.locals.db))) redirect(303, '/setup');
	return { sso: ssoLink(event.url) };
};

/** The "Sign in with …" link when single sign-on is set up (LOCAL_PASSWORDS=off: the only way). */
function ssoLink(url: URL) {
	const { oidc, local } = ssoSettings();
	if (!oidc) return null;
	const next = url.searchParams.get('next');
	const href = next ? `/login/oidc?next=${encodeURIComponent(safeNextPath(next))}` : '/login/oidc';
	return { name: oidc.name, href, passwordsOff: !local.enabled };
}

export const actions: Actions = {
	default: async (event) => {
		allowAnonymous(event);
		const parsed = parseForm(loginSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { values: parsed.values }));
		const { oidc, local } = ssoSettings();
		if (await passwordSignInRefused(event.locals.db, local, parsed.data.email, event.locals.ip)) {
			const form = `Passwords are turned off here: sign in with ${oidc?.name ?? 'single sign-on'}.`;
			return fail(400, formFailure({ form }, { values: { email: parsed.data.email } }));
		}
		const result = await signIn(event.locals.db, {
			...parsed.data,
			ip: event.locals.ip,
			userAgent: event.request.headers.get('user-agent') ?? ''
		});
		if (!result.ok && result.reason === 'throttled') {
			event.setHeaders({ 'Retry-After': String(result.retryAfterSeconds) });
			return fail(
				429,
				formFailure(
					{
						form: `Too many failed sign-ins. Try again in ${result.retryAfterSeconds} seconds.`
					},
					{ values: { email: parsed.data.email } }
				)
			);
		}
		if (!result.ok) {
			return fail(
				400,
				formFailure(
					{ form: 'The email or password is not correct.' },
					{ values: { email: parsed.data.email } }
				)
			);
		}
		setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
		const next = safeNextPath(event.url.searchParams.get('next'));
		if (result.secondFactor) redirect(303, `/login/two-factor?next=${encodeURIComponent(next)}`);
		redirect(303, next);
	}
};
