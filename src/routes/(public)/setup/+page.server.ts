import { fail, redirect } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { setupSchema } from '$lib/schemas/auth';
import { allowAnonymous } from '$lib/server/auth/guard';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { passwordProblem } from '$lib/server/auth/password';
import { createSession } from '$lib/server/auth/session';
import { createFirstAdmin, hasUsers } from '$lib/server/auth/sign-in';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	allowAnonymous(event);
	if (await hasUsers(event.locals.db)) redirect(303, '/login');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		allowAnonymous(event);
		const parsed = parseForm(setupSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { values: parsed.values }));
		const problem = passwordProblem(parsed.data.password);
		if (problem) {
			return fail(
				400,
				formFailure(
					{ password: problem },
					{ values: { name: parsed.data.name, email: parsed.data.email } }
				)
			);
		}
		const created = await createFirstAdmin(event.locals.db, {
			...parsed.data,
			ip: event.locals.ip
		});
		// Setup is closed for good once any user exists, whoever won the race.
		if (!created) redirect(303, '/login');
		const { token, session } = await createSession(event.locals.db, created.userId, {
			ip: event.locals.ip,
			userAgent: event.request.headers.get('user-agent') ?? ''
		});
		setSessionCookie(event.cookies, event.url, token, session.expiresAt);
		redirect(303, '/admin');
	}
};
