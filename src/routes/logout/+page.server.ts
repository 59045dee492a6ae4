import { redirect } from '@sveltejs/kit';
import { audit } from '$lib/server/audit/audit-log';
import { deleteSessionCookie } from '$lib/server/auth/cookie';
import { allowAnonymous } from '$lib/server/auth/guard';
import { invalidateSession } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	allowAnonymous(event);
	redirect(303, '/');
};

export const actions: Actions = {
	default: async (event) => {
		allowAnonymous(event);
		const { locals } = event;
		if (locals.session && locals.user) {
			await invalidateSession(locals.db, locals.session.id);
			await audit(locals.db, {
				actorId: locals.user.id,
				action: 'auth.sign_out',
				targetType: 'user',
				targetId: locals.user.id,
				ip: locals.ip
			});
		}
		// A session still waiting for its second factor ends too (the two-factor page's Cancel).
		if (locals.pendingSecondFactor) {
			await invalidateSession(locals.db, locals.pendingSecondFactor.sessionId);
		}
		deleteSessionCookie(event.cookies, event.url);
		redirect(303, '/login');
	}
};
