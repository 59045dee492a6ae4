import { z } from 'zod';
import { newPassword } from './auth';
import { freeText } from './text';

export const resetRequestSchema = z.object({
	email: z
		.string({ error: 'Enter your email address.' })
		.trim()
		.toLowerCase()
		.min(1, 'Enter your email address.')
		.max(254, 'Use at most 254 characters.')
		.superRefine(freeText('line'))
});

export const resetPasswordSchema = z
	.object({ password: newPassword, confirm: z.string({ error: 'Repeat the password.' }) })
	.refine((v) => v.password === v.confirm, {
		path: ['confirm'],
		message: 'The two passwords differ.'
	});
