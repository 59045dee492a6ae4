import { z } from 'zod';

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
