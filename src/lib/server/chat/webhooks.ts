import { eq } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import type { ActorContext } from '$lib/server/users/accounts';
import { webhookHost, webhookProblem } from './settings';

/** What the team page shows of its webhook: the host and when it was set, never the address. */
export async function webhookSummary(db: Database, teamId: string) {
	const [row] = await db
		.select({ url: table.teamChatWebhook.url, updatedAt: table.teamChatWebhook.updatedAt })
		.from(table.teamChatWebhook)
		.where(eq(table.teamChatWebhook.teamId, teamId));
	return row ? { host: webhookHost(row.url), updatedAt: row.updatedAt } : null;
}

export type WebhookResult = { ok: true } | { ok: false; field: 'url'; message: string };

/** Sets (or with null removes) a team's webhook; audited with the host only. */
export async function setWebhook(
	db: Database,
	ctx: ActorContext,
	teamId: string,
	url: string | null
): Promise<WebhookResult> {
	if (url !== null) {
		const problem = webhookProblem(url);
		if (problem) return { ok: false, field: 'url', message: problem };
	}
	await db.transaction(async (tx: Tx) => {
		if (url === null)
			await tx.delete(table.teamChatWebhook).where(eq(table.teamChatWebhook.teamId, teamId));
		else
			await tx
				.insert(table.teamChatWebhook)
				.values({ teamId, url, updatedBy: ctx.actorId, updatedAt: new Date() })
				.onConflictDoUpdate({
					target: table.teamChatWebhook.teamId,
					set: { url, updatedBy: ctx.actorId, updatedAt: new Date() }
				});
		await audit(tx, {
			actorId: ctx.actorId,
			action: url === null ? 'team.chat_webhook_removed' : 'team.chat_webhook_set',
			targetType: 'team',
			targetId: teamId,
			teamId,
			detail: url === null ? {} : { host: webhookHost(url) },
			ip: ctx.ip
		});
	});
	return { ok: true };
}
