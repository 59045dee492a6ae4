/** Email settings from the environment: off (null) without SMTP_URL. */
export interface MailSettings {
	/** smtp://user:pass@host:587 (STARTTLS when offered, required with a password off loopback) or smtps://host:465. */
	url: string;
	from: string;
	/** The public address of the app, for the links in each email (ORIGIN). */
	origin: string;
}

/** Reads SMTP_URL, SMTP_FROM and ORIGIN; throws, naming the variable, when one is malformed. */
export function mailSettings(env: NodeJS.ProcessEnv = process.env): MailSettings | null {
	const url = env.SMTP_URL?.trim();
	if (!url) return null;
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new Error('SMTP_URL is not a URL: use smtp://user:password@host:587 or smtps://host:465');
	}
	if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
		throw new Error('SMTP_URL must start with smtp:// or smtps://');
	const origin = env.ORIGIN?.trim();
	if (!origin) throw new Error('SMTP_URL is set but ORIGIN is not: emails need it for their links');
	const from = env.SMTP_FROM?.trim() || `Rampart <rampart@${new URL(origin).hostname}>`;
	return { url, from, origin: origin.replace(/\/+$/, '') };
}

/** Whether email is on (SMTP_URL set), without validating the rest. */
export function emailEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
	return !!env.SMTP_URL?.trim();
}

/**
 * What emails are written with: the SMTP settings, or when email is off, only ORIGIN (or this
 * machine) for their links. Emails are queued either way; off, they are kept for the admins'
 * outbox page and never sent (outbox.ts).
 */
export function composeSettings(env: NodeJS.ProcessEnv = process.env): MailSettings {
	const on = mailSettings(env);
	if (on) return on;
	const origin = env.ORIGIN?.trim().replace(/\/+$/, '') || 'http://localhost:3000';
	return { url: '', from: '', origin };
}

/** How often reminders are worked out: MAIL_REMINDER_INTERVAL_SECONDS (1 s to a day), 600 by default. */
export function reminderIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.MAIL_REMINDER_INTERVAL_SECONDS?.trim();
	if (!raw) return 600_000;
	const seconds = Number(raw);
	if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400)
		throw new Error('MAIL_REMINDER_INTERVAL_SECONDS must be a whole number of seconds, 1 to 86400');
	return seconds * 1000;
}
