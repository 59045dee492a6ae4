import { z } from 'zod';
import { freeText } from './text';

/** A code from an authenticator app: six digits, spaces allowed (apps show "123 456"). */
export const totpCodeSchema = z.object({
	code: z
		.string({ error: 'Enter the 6-digit code from your authenticator app.' })
		.transform((c) => c.replace(/\s+/g, ''))
		.pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app.'))
});

/** A recovery code as printed (xxxx-xxxx-xxxx-xxxx); case, spaces and dashes do not matter. */
export const recoveryCodeSchema = z.object({
	recoveryCode: z
		.string({ error: 'Enter one of your recovery codes.' })
		.trim()
		.min(1, 'Enter one of your recovery codes.')
		.max(64, 'A recovery code is 16 letters and digits.')
});

/** Confirming a new authenticator: the key the page showed and a first code from the app. */
export const enrolTotpSchema = totpCodeSchema.extend({
	key: z.string().trim().min(1).max(64)
});

/** A new passkey: its name, and what the browser made (base64url). */
export const addPasskeySchema = z.object({
	name: z
		.string({ error: 'Name the passkey.' })
		.trim()
		.min(1, 'Name the passkey.')
		.max(60, 'Use at most 60 characters.')
		.superRefine(freeText('line')),
	attestationObject: z.string().min(1, 'Add the passkey with the button.').max(8192),
	clientDataJSON: z.string().min(1, 'Add the passkey with the button.').max(4096)
});

export const removePasskeySchema = z.object({ id: z.string().min(1).max(1024) });

/** A passkey's answer at the two-factor step (base64url fields). */
export const passkeyAssertionSchema = z.object({
	credentialId: z.string().min(1).max(1024),
	authenticatorData: z.string().min(1).max(4096),
	clientDataJSON: z.string().min(1).max(4096),
	signature: z.string().min(1).max(1024)
});

/** A passkey's answer when it signs in alone: the user handle names whose passkey it is. */
export const passkeySignInSchema = passkeyAssertionSchema.extend({
	userHandle: z.string().min(1).max(256)
});
