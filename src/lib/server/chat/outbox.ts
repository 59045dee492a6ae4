import { eq } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

/** Escapes what Slack reads as markup in message text (links, mentions): names are user input. */
export function chatEscape(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The app's address for links in chat messages, when ORIGIN is set. */
export function chatOrigin(env: NodeJS.ProcessEnv = process.env): string | null {
	return env.ORIGIN?.trim().replace(/\/+$/, '') || null;
}

/**
 * Queues a message for a team's chat in the caller's transaction, when the team has a webhook;
 * returns whether it did.
 */
export async function queueChat(tx: Tx, teamId: string, kind: string, text: string) {
	const [hook] = await tx
		.select({ teamId: table.teamChatWebhook.teamId })
		.from(table.teamChatWebhook)
		.where(eq(table.teamChatWebhook.teamId, teamId));
	if (!hook) return false;
	await tx.insert(table.chatOutbox).values({ teamId, kind, text });
	return true;
}
