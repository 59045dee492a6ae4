import { fail, redirect } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { resetRequestSchema } from '$lib/schemas/password-reset';
import { allowAnonymous } from '$lib/server/auth/guard';
import { requestPasswordReset, RESET_TTL_MS } from '$lib/server/auth/password-reset';
import { emailEnabled } from '$lib/server/mail/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	allowAnonymous(event);
	if (event.locals.user) redirect(303, '/account');
	return { emailOn: emailEnabled(), minutes: RESET_TTL_MS / 60_000 };
};

export const actions: Actions = {
	default: async (event) => {
		allowAnonymous(event);
		const parsed = parseForm(resetRequestSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { values: parsed.values }));
		const result = await requestPasswordReset(event.locals.db, {
			email: parsed.data.email,
			ip: event.locals.ip
		});
		if (!result.ok) {
			event.setHeaders({ 'Retry-After': String(result.retryAfterSeconds) });
			return fail(
				429,
				formFailure(
					{ form: `Too many attempts. Try again in ${result.retryAfterSeconds} seconds.` },
					{ values: { email: parsed.data.email } }
				)
			);
		}
		// The same answer whether or not the address has an account.
		return { sent: true, email: parsed.data.email };
	}
};
