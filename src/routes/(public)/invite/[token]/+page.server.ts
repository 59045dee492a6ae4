import { error, fail, redirect } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { acceptInvitationSchema } from '$lib/schemas/auth';
import { allowAnonymous } from '$lib/server/auth/guard';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { acceptInvitation, findUsableInvitation } from '$lib/server/users/invitations';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	allowAnonymous(event);
	const invitation = await findUsableInvitation(event.locals.db, event.params.token);
	if (!invitation) error(404, 'This invitation link has expired, was revoked or was already used.');
	return { email: invitation.email, role: invitation.role };
};

export const actions: Actions = {
	default: async (event) => {
		allowAnonymous(event);
		const parsed = parseForm(acceptInvitationSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { values: parsed.values }));
		const result = await acceptInvitation(event.locals.db, {
			token: event.params.token,
			name: parsed.data.name,
			password: parsed.data.password,
			ip: event.locals.ip,
			userAgent: event.request.headers.get('user-agent') ?? ''
		});
		if (!result.ok) {
			return fail(
				400,
				formFailure({ [result.field]: result.message }, { values: { name: parsed.data.name } })
			);
		}
		setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
		redirect(303, '/teams');
	}
};
