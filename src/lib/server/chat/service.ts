import type { Database } from '$lib/server/db';
import { log } from '$lib/server/log';
import { queueChatReminders } from './notify';
import { deliverDueChats, purgeOldChats } from './sender';

const SEND_EVERY_MS = 3_000;
const REMINDERS_EVERY_MS = 10 * 60 * 1000;

/** Posts queued chat messages every few seconds and works out chat reminders every ten minutes. */
export function startChatService(db: Database): () => void {
	let stopped = false;
	const loop = async () => {
		while (!stopped) {
			await deliverDueChats(db).catch((e: unknown) =>
				log.error('Posting chat messages failed', { error: e })
			);
			await new Promise((r) => setTimeout(r, SEND_EVERY_MS).unref());
		}
	};
	const remind = () =>
		void Promise.all([queueChatReminders(db), purgeOldChats(db)]).catch((e: unknown) =>
			log.error('Queueing chat reminders failed', { error: e })
		);
	void loop();
	remind();
	const timer = setInterval(remind, REMINDERS_EVERY_MS);
	timer.unref();
	const stop = () => {
		stopped = true;
		clearInterval(timer);
	};
	process.once('sveltekit:shutdown' as never, stop);
	return stop;
}
