import { z } from 'zod';
import { freeText } from './text';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export const email = z
	.string({ error: 'Enter an email address.' })
	.trim()
	.toLowerCase()
	.max(254, 'Use at most 254 characters.')
	.superRefine(freeText('line'))
	.pipe(z.email({ error: 'Enter a valid email address, like name@example.com.' }));

export const personName = z
	.string({ error: 'Enter a name.' })
	.trim()
	.min(1, 'Enter a name.')
	.max(100, 'Use at most 100 characters.')
	.superRefine(freeText('name'));

/** Length only (no composition rules); the common-password check runs on the server. */
export const newPassword = z
	.string({ error: 'Enter a password.' })
	.refine((p) => [...p].length >= PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
	.refine((p) => [...p].length <= PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

export const loginSchema = z.object({
	email: z
		.string({ error: 'Enter your email address.' })
		.trim()
		.toLowerCase()
		.min(1, 'Enter your email address.')
		.max(254)
		.superRefine(freeText('line')),
	password: z
		.string({ error: 'Enter your password.' })
		.min(1, 'Enter your password.')
		.max(PASSWORD_MAX * 4)
});

const passwordsMatch = {
	path: ['confirm'],
	message: 'The two passwords differ.'
};

export const setupSchema = z
	.object({ name: personName, email, password: newPassword, confirm: z.string() })
	.refine((v) => v.password === v.confirm, passwordsMatch);

export const acceptInvitationSchema = z
	.object({ name: personName, password: newPassword, confirm: z.string() })
	.refine((v) => v.password === v.confirm, passwordsMatch);

export const changePasswordSchema = z
	.object({
		current: z
			.string({ error: 'Enter your current password.' })
			.min(1, 'Enter your current password.'),
		password: newPassword,
		confirm: z.string({ error: 'Repeat the password.' })
	})
	.refine((v) => v.password === v.confirm, passwordsMatch);

export const profileSchema = z.object({ name: personName });
