import { z } from 'zod';

/** The address is checked against the allowed hosts on the server (chat/settings.ts). */
export const webhookSchema = z.object({
	url: z
		.string({ error: 'Enter the webhook address.' })
		.trim()
		.min(1, 'Enter the webhook address.')
		.max(1000, 'Use at most 1000 characters.')
});
