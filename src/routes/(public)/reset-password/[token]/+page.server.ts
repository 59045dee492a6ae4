import { error, fail, redirect } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { resetPasswordSchema } from '$lib/schemas/password-reset';
import { allowAnonymous } from '$lib/server/auth/guard';
import { findUsableReset, resetPassword } from '$lib/server/auth/password-reset';
import type { Actions, PageServerLoad } from './$types';

const gone = 'This link has expired or was already used. Ask for a new one on the sign-in page.';

export const load: PageServerLoad = async (event) => {
	allowAnonymous(event);
	const reset = await findUsableReset(event.locals.db, event.params.token);
	if (!reset) error(404, gone);
	return { email: reset.email };
};

export const actions: Actions = {
	default: async (event) => {
		allowAnonymous(event);
		const parsed = parseForm(resetPasswordSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors));
		const result = await resetPassword(event.locals.db, {
			token: event.params.token,
			password: parsed.data.password,
			ip: event.locals.ip
		});
		if (!result.ok) return fail(400, formFailure({ [result.field]: result.message }));
		redirect(303, '/login?reset=1');
	}
};
