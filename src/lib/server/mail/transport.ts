import nodemailer from 'nodemailer';
import type { MailSettings } from './settings';

export interface MailTransport {
	send(email: { to: string; subject: string; text: string; html: string }): Promise<void>;
	close(): void;
}

const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);

/** nodemailer's options for SMTP_URL; exported for its test. */
export function smtpOptions(settings: MailSettings) {
	const url = new URL(settings.url);
	const secure = url.protocol === 'smtps:';
	const user = decodeURIComponent(url.username);
	const pass = decodeURIComponent(url.password);
	return {
		host: url.hostname.replace(/^\[|\]$/g, ''),
		port: url.port ? Number(url.port) : secure ? 465 : 587,
		secure,
		// STARTTLS is used whenever the server offers it; with a password for a server off this
		// machine it is required, so credentials never travel in clear.
		requireTLS: !secure && !!pass && !loopback.has(url.hostname),
		auth: user ? { user, pass } : undefined,
		connectionTimeout: 20_000,
		greetingTimeout: 20_000,
		socketTimeout: 60_000
	};
}

/** An SMTP transport for SMTP_URL (smtp:// with STARTTLS, or smtps://). */
export function smtpTransport(settings: MailSettings): MailTransport {
	const transporter = nodemailer.createTransport(smtpOptions(settings));
	return {
		async send(email) {
			await transporter.sendMail({ from: settings.from, ...email });
		},
		close() {
			transporter.close();
		}
	};
}
