import type { Database } from '$lib/server/db';
import { purgeOldResets } from '$lib/server/auth/password-reset';
import { log } from '$lib/server/log';
import { getTraining } from '$lib/server/training/load-training';
import { queueReminders } from './reminders';
import { mailSettings, reminderIntervalMs } from './settings';
import { smtpTransport, type MailTransport } from './transport';
import { deliverDueEmails, purgeOldEmails } from './worker';

/** How often queued email is looked for. */
const SEND_EVERY_MS = 3_000;

/**
 * Starts the reminders (at once, then every MAIL_REMINDER_INTERVAL_SECONDS, ten minutes by
 * default) and, when SMTP_URL is set, the background sending (every few seconds), until the
 * server shuts down; returns a function that stops them. With email off the reminders are queued
 * unsent for the outbox page, like every email. Errors are logged and tried again later: nothing
 * here may stop the app.
 */
export function startMailService(db: Database): () => void {
	const settings = mailSettings();
	const remind = () =>
		void Promise.all([
			queueReminders(db, getTraining()),
			purgeOldEmails(db),
			purgeOldResets(db)
		]).catch((e: unknown) => log.error('Queueing reminders failed', { error: e }));
	remind();
	const reminders = setInterval(remind, reminderIntervalMs());
	reminders.unref();
	if (!settings) {
		const stop = () => clearInterval(reminders);
		process.once('sveltekit:shutdown' as never, stop);
		return stop;
	}
	const transport: MailTransport = smtpTransport(settings);
	let stopped = false;
	let sending: Promise<unknown> = Promise.resolve();
	const send = () => {
		sending = deliverDueEmails(db, transport).catch((e: unknown) =>
			log.error('Sending queued email failed', { error: e })
		);
	};
	const loop = async () => {
		while (!stopped) {
			send();
			await sending;
			await new Promise((r) => setTimeout(r, SEND_EVERY_MS).unref());
		}
	};
	void loop();
	log.info('Email is on', { from: settings.from });
	const stop = () => {
		stopped = true;
		clearInterval(reminders);
		void sending.finally(() => transport.close());
	};
	process.once('sveltekit:shutdown' as never, stop);
	return stop;
}
