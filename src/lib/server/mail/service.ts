import type { Database } from '$lib/server/db';
import { purgeOldResets } from '$lib/server/auth/password-reset';
import { log } from '$lib/server/log';
import { getTraining } from '$lib/server/training/load-training';
import { queueReminders } from './reminders';
import { mailSettings } from './settings';
import { smtpTransport, type MailTransport } from './transport';
import { deliverDueEmails, purgeOldEmails } from './worker';

/** How often queued email is looked for, and how often reminders are worked out. */
const SEND_EVERY_MS = 3_000;
const REMINDERS_EVERY_MS = 10 * 60 * 1000;

/**
 * Starts the background sending (every few seconds) and the reminders (every ten minutes) when
 * SMTP_URL is set, until the server shuts down; returns a function that stops both. Errors are
 * logged and tried again later: nothing here may stop the app.
 */
export function startMailService(db: Database): () => void {
	const settings = mailSettings();
	if (!settings) return () => {};
	const transport: MailTransport = smtpTransport(settings);
	let stopped = false;
	let sending: Promise<unknown> = Promise.resolve();
	const send = () => {
		sending = deliverDueEmails(db, transport).catch((e: unknown) =>
			log.error('Sending queued email failed', { error: e })
		);
	};
	const remind = () =>
		void Promise.all([
			queueReminders(db, getTraining()),
			purgeOldEmails(db),
			purgeOldResets(db)
		]).catch((e: unknown) => log.error('Queueing reminders failed', { error: e }));
	const loop = async () => {
		while (!stopped) {
			send();
			await sending;
			await new Promise((r) => setTimeout(r, SEND_EVERY_MS).unref());
		}
	};
	void loop();
	remind();
	const reminders = setInterval(remind, REMINDERS_EVERY_MS);
	reminders.unref();
	log.info('Email is on', { from: settings.from });
	const stop = () => {
		stopped = true;
		clearInterval(reminders);
		void sending.finally(() => transport.close());
	};
	process.once('sveltekit:shutdown' as never, stop);
	return stop;
}
