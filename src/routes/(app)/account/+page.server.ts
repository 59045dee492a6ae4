import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { changePasswordSchema, profileSchema } from '$lib/schemas/auth';
import { audit } from '$lib/server/audit/audit-log';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { requireRecentSecondFactor, requireUser } from '$lib/server/auth/guard';
import {
	invalidateOwnSession,
	invalidateUserSessions,
	listUserSessions
} from '$lib/server/auth/session';
import { changePassword, updateProfile } from '$lib/server/users/accounts';
import { isOptionalKind, kindLabels, optionalKinds } from '$lib/server/mail/kinds';
import { receivedKinds, saveReceivedKinds } from '$lib/server/mail/preferences';
import { emailEnabled } from '$lib/server/mail/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const [sessions, received] = await Promise.all([
		listUserSessions(event.locals.db, user.id),
		receivedKinds(event.locals.db, user.id)
	]);
	return {
		emailOn: emailEnabled(),
		notifications: optionalKinds.map((kind) => ({
			kind,
			label: kindLabels[kind].label,
			receive: received.has(kind)
		})),
		profile: { name: user.name, email: user.email, role: user.role },
		twoFactor: !!event.locals.secondFactorEnrolled,
		// Session ids are hashes of the tokens: showing them lets a user end one, nothing more.
		sessions: sessions.map((s) => ({ ...s, current: s.id === event.locals.session?.id }))
	};
};

const endSessionSchema = z.object({
	sessionId: z.string().regex(/^[0-9a-f]{64}$/, 'Unknown session.')
});

export const actions: Actions = {
	profile: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm(profileSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { action: 'profile', values: parsed.values }));
		await updateProfile(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			parsed.data.name
		);
		return { action: 'profile', notice: 'Your name was saved.' };
	},
	password: async (event) => {
		const user = requireUser(event);
		// With a second factor, a new password needs a fresh code (the typed fields are lost).
		requireRecentSecondFactor(event, '/account');
		const parsed = parseForm(changePasswordSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'password' }));
		const result = await changePassword(
			event.locals.db,
			{
				actorId: user.id,
				ip: event.locals.ip,
				userAgent: event.request.headers.get('user-agent') ?? '',
				authMethod: event.locals.session?.authMethod,
				secondFactorAt: event.locals.session?.secondFactorAt
			},
			parsed.data.current,
			parsed.data.password
		);
		if (!result.ok)
			return fail(400, formFailure({ [result.field]: result.message }, { action: 'password' }));
		if (result.session) {
			setSessionCookie(event.cookies, event.url, result.session.token, result.session.expiresAt);
		}
		return {
			action: 'password',
			notice: 'Your password was changed and your other sessions were ended.'
		};
	},
	notifications: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		// Unknown values are ignored: a box that is not sent is a kind turned off.
		const receive = new Set(
			form.getAll('receive').filter((v) => typeof v === 'string' && isOptionalKind(v))
		);
		await saveReceivedKinds(
			event.locals.db,
			{ actorId: user.id, ip: event.locals.ip },
			receive as Set<(typeof optionalKinds)[number]>
		);
		return { action: 'notifications', notice: 'Your email choices were saved.' };
	},
	endSession: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm(endSessionSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'sessions' }));
		await invalidateOwnSession(event.locals.db, user.id, parsed.data.sessionId);
		await audit(event.locals.db, {
			actorId: user.id,
			action: 'auth.session_ended',
			targetType: 'user',
			targetId: user.id,
			ip: event.locals.ip
		});
		return { action: 'sessions', notice: 'The session was ended.' };
	},
	endOtherSessions: async (event) => {
		const user = requireUser(event);
		await invalidateUserSessions(event.locals.db, user.id, event.locals.session?.id);
		await audit(event.locals.db, {
			actorId: user.id,
			action: 'auth.other_sessions_ended',
			targetType: 'user',
			targetId: user.id,
			ip: event.locals.ip
		});
		return { action: 'sessions', notice: 'Your other sessions were ended.' };
	}
};
