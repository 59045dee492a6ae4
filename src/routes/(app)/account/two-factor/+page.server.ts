import { error, fail } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { enrolTotpSchema } from '$lib/schemas/two-factor';
import { audit } from '$lib/server/audit/audit-log';
import { requireRecentSecondFactor, requireUserForSecondFactorSetup } from '$lib/server/auth/guard';
import { mfaRequiredRoles } from '$lib/server/auth/mfa-policy';
import {
	enrolTotp,
	generateTotpKey,
	parseTotpKey,
	removeSecondFactor,
	replaceRecoveryCodes,
	secondFactorStatus,
	totpSetup
} from '$lib/server/auth/two-factor';
import {
	addPasskey,
	createChallenge,
	relyingParty,
	removePasskey
} from '$lib/server/auth/passkeys';
import { addPasskeySchema, removePasskeySchema } from '$lib/schemas/two-factor';
import type { Actions, PageServerLoad } from './$types';

const PAGE = '/account/two-factor';

export const load: PageServerLoad = async (event) => {
	const user = requireUserForSecondFactorSetup(event);
	const status = await secondFactorStatus(event.locals.db, user.id);
	// A new key on every view until one is confirmed; a refused code shows the same key again.
	const setup = totpSetup(generateTotpKey(), user.email);
	return {
		status,
		email: user.email,
		passkey: { challenge: await createChallenge(event.locals.db, user.id), userHandle: user.id },
		required: mfaRequiredRoles().includes(user.role),
		mustSetUp: !!event.locals.secondFactorSetupRequired,
		setup: {
			secret: setup.secret,
			uri: setup.uri,
			qr: `data:image/svg+xml;base64,${Buffer.from(setup.qrSvg).toString('base64')}`
		}
	};
};

export const actions: Actions = {
	enrol: async (event) => {
		const user = requireUserForSecondFactorSetup(event);
		// Replacing a second factor asks for the current one first; setting up the first does not.
		requireRecentSecondFactor(event, PAGE);
		const parsed = parseForm(enrolTotpSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { action: 'enrol', values: parsed.values }));
		const key = parseTotpKey(parsed.data.key);
		if (!key)
			return fail(
				400,
				formFailure({ form: 'Reload the page to get a new key.' }, { action: 'enrol' })
			);
		const result = await enrolTotp(
			event.locals.db,
			{ userId: user.id, ip: event.locals.ip, sessionId: event.locals.session?.id ?? null },
			key,
			parsed.data.code
		);
		const values = { key: parsed.data.key };
		if (!result.ok && result.reason === 'throttled') {
			event.setHeaders({ 'Retry-After': String(result.retryAfterSeconds) });
			const message = `Too many wrong codes. Try again in ${result.retryAfterSeconds} seconds.`;
			return fail(429, formFailure({ code: message }, { action: 'enrol', values }));
		}
		if (!result.ok) {
			const message =
				'That code is not right: check the time on your phone and enter the code the app shows now.';
			return fail(400, formFailure({ code: message }, { action: 'enrol', values }));
		}
		return { action: 'enrol', recoveryCodes: result.recoveryCodes };
	},
	recoveryCodes: async (event) => {
		const user = requireUserForSecondFactorSetup(event);
		requireRecentSecondFactor(event, PAGE);
		if (!event.locals.secondFactorEnrolled) error(409, 'Set up an authenticator app first.');
		const recoveryCodes = await event.locals.db.transaction(async (tx) => {
			const codes = await replaceRecoveryCodes(tx, user.id);
			await audit(tx, {
				actorId: user.id,
				action: 'auth.recovery_codes_replaced',
				targetType: 'user',
				targetId: user.id,
				ip: event.locals.ip
			});
			return codes;
		});
		return { action: 'recoveryCodes', recoveryCodes };
	},
	addPasskey: async (event) => {
		const user = requireUserForSecondFactorSetup(event);
		requireRecentSecondFactor(event, PAGE);
		const parsed = parseForm(addPasskeySchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'passkey' }));
		const result = await addPasskey(
			event.locals.db,
			{ userId: user.id, ip: event.locals.ip, sessionId: event.locals.session?.id ?? null },
			relyingParty(event.url),
			parsed.data
		);
		if (!result.ok) {
			const form = 'The passkey could not be added (it may be added already): try again.';
			return fail(400, formFailure({ form }, { action: 'passkey' }));
		}
		return {
			action: 'passkey',
			notice: `The passkey "${parsed.data.name}" was added.`,
			...(result.recoveryCodes ? { recoveryCodes: result.recoveryCodes } : {})
		};
	},
	removePasskey: async (event) => {
		const user = requireUserForSecondFactorSetup(event);
		requireRecentSecondFactor(event, PAGE);
		const parsed = parseForm(removePasskeySchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'passkey' }));
		const status = await secondFactorStatus(event.locals.db, user.id);
		if (mfaRequiredRoles().includes(user.role) && !status.totp && status.passkeys.length <= 1) {
			const form = 'Your role requires a second factor: add another before removing this one.';
			return fail(403, formFailure({ form }, { action: 'passkey' }));
		}
		await removePasskey(event.locals.db, { userId: user.id, ip: event.locals.ip }, parsed.data.id);
		return { action: 'passkey', notice: 'The passkey was removed.' };
	},
	remove: async (event) => {
		const user = requireUserForSecondFactorSetup(event);
		requireRecentSecondFactor(event, PAGE);
		if (mfaRequiredRoles().includes(user.role)) {
			return fail(
				403,
				formFailure(
					{
						form: 'Your role requires two-factor sign-in: set up a new app instead of removing it.'
					},
					{ action: 'remove' }
				)
			);
		}
		await removeSecondFactor(event.locals.db, { actorId: user.id, ip: event.locals.ip }, user.id);
		return { action: 'remove', notice: 'Two-factor sign-in is off.' };
	}
};
