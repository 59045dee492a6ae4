import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import {
	passkeyAssertionSchema,
	recoveryCodeSchema,
	totpCodeSchema
} from '$lib/schemas/two-factor';
import { audit } from '$lib/server/audit/audit-log';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { requireSecondFactorChallenge } from '$lib/server/auth/guard';
import { completeSecondFactor, recordSecondFactor } from '$lib/server/auth/session';
import {
	useRecoveryCode,
	verifyTotp,
	type SecondFactorMethod,
	type VerifyResult
} from '$lib/server/auth/two-factor';
import {
	createChallenge,
	passkeyIds,
	relyingParty,
	verifyPasskey
} from '$lib/server/auth/passkeys';
import { safeNextPath } from '$lib/server/http/safe-redirect';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const challenge = requireSecondFactorChallenge(event);
	const next = safeNextPath(event.url.searchParams.get('next'));
	const { db } = event.locals;
	const ids = await passkeyIds(db, challenge.userId);
	const passkey = ids.length
		? { ids, challenge: await createChallenge(db, challenge.userId) }
		: null;
	return { stepUp: challenge.stepUp, email: challenge.email, next, passkey };
};

const messages = {
	totp: 'That code is not right, or was already used. Enter the current code from your app.',
	recovery_code: 'That recovery code is not right, or was already used.',
	passkey: 'That passkey was not accepted: try again, or use a code.'
} as const;
const fields = { totp: 'code', recovery_code: 'recoveryCode', passkey: 'form' } as const;

/** Signs in (or confirms a step-up) once the second factor is right; a refusal says why, beside its field. */
async function finish(
	event: RequestEvent,
	challenge: ReturnType<typeof requireSecondFactorChallenge>,
	action: SecondFactorMethod,
	result: VerifyResult
) {
	const field = fields[action];
	if (!result.ok && result.reason === 'throttled') {
		event.setHeaders({ 'Retry-After': String(result.retryAfterSeconds) });
		return fail(
			429,
			formFailure(
				{ [field]: `Too many wrong codes. Try again in ${result.retryAfterSeconds} seconds.` },
				{ action }
			)
		);
	}
	if (!result.ok) return fail(400, formFailure({ [field]: messages[action] }, { action }));
	const { db } = event.locals;
	if (challenge.stepUp) {
		await recordSecondFactor(db, challenge.sessionId);
	} else {
		const { token, session } = await completeSecondFactor(
			db,
			challenge.sessionId,
			challenge.userId,
			result.method,
			{ ip: event.locals.ip, userAgent: event.request.headers.get('user-agent') ?? '' }
		);
		setSessionCookie(event.cookies, event.url, token, session.expiresAt);
	}
	await audit(db, {
		actorId: challenge.userId,
		action: challenge.stepUp ? 'auth.step_up' : 'auth.second_factor',
		targetType: 'user',
		targetId: challenge.userId,
		detail: { method: result.method },
		ip: event.locals.ip
	});
	redirect(303, safeNextPath(event.url.searchParams.get('next')));
}

export const actions: Actions = {
	totp: async (event) => {
		const challenge = requireSecondFactorChallenge(event);
		const parsed = parseForm(totpCodeSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'totp' }));
		const ctx = { userId: challenge.userId, ip: event.locals.ip };
		return finish(
			event,
			challenge,
			'totp',
			await verifyTotp(event.locals.db, ctx, parsed.data.code)
		);
	},
	recovery: async (event) => {
		const challenge = requireSecondFactorChallenge(event);
		const parsed = parseForm(recoveryCodeSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'recovery_code' }));
		const ctx = { userId: challenge.userId, ip: event.locals.ip };
		const result = await useRecoveryCode(event.locals.db, ctx, parsed.data.recoveryCode);
		return finish(event, challenge, 'recovery_code', result);
	},
	passkey: async (event) => {
		const challenge = requireSecondFactorChallenge(event);
		const parsed = parseForm(passkeyAssertionSchema, await event.request.formData());
		if (!parsed.ok) {
			return fail(400, formFailure({ form: messages.passkey }, { action: 'passkey' }));
		}
		const ctx = { userId: challenge.userId, ip: event.locals.ip };
		const rp = relyingParty(event.url);
		return finish(
			event,
			challenge,
			'passkey',
			await verifyPasskey(event.locals.db, ctx, rp, parsed.data)
		);
	}
};
