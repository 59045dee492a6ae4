import { and, isNull, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

export interface OutboxDepth {
	/** Messages waiting to be sent (retries included), and how long the oldest has waited. */
	pending: number;
	oldestSeconds: number;
}

/**
 * The background queues' depth (email and chat outboxes), shared by every instance: one count
 * per outbox over its partial index of unsent rows, read when /metrics is scraped.
 */
export async function outboxDepths(db: Database): Promise<Record<'email' | 'chat', OutboxDepth>> {
	const depth = async (outbox: typeof table.emailOutbox | typeof table.chatOutbox) => {
		const [row] = await db
			.select({
				pending: sql<number>`count(*)::int`,
				oldestSeconds: sql<number>`coalesce(extract(epoch from clock_timestamp() - min(${outbox.createdAt})), 0)::float8`
			})
			.from(outbox)
			.where(and(isNull(outbox.sentAt), isNull(outbox.failedAt)));
		return { pending: Number(row?.pending ?? 0), oldestSeconds: Number(row?.oldestSeconds ?? 0) };
	};
	return { email: await depth(table.emailOutbox), chat: await depth(table.chatOutbox) };
}
