import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

/**
 * A claim older than this belongs to a process that stopped while recording (a 10,000-result
 * upload takes a few seconds): the next upload of the analysis takes it over.
 */
export const ABANDONED_CLAIM_SECONDS = 300;

/** How long an upload waits for another upload of the same analysis before it is refused. */
export const CLAIM_WAIT_MS = 60_000;

/** Another upload of the analysis is being recorded and did not finish within CLAIM_WAIT_MS. */
export class AnalysisBusyError extends Error {
	constructor() {
		super('Another upload of this repository, tool and category is still being recorded.');
		this.name = 'AnalysisBusyError';
	}
}

/**
 * Claims the analyses for one upload, all or none: true when every one was free (or its claim
 * abandoned) and is now the upload's until released.
 */
export async function claimAnalyses(
	tx: Tx,
	analysisIds: readonly string[],
	uploadId: string
): Promise<boolean> {
	const abandoned = sql`clock_timestamp() - make_interval(secs => ${ABANDONED_CLAIM_SECONDS})`;
	const claimed = await tx
		.update(table.analysis)
		.set({ recordingUploadId: uploadId, recordingSince: sql`clock_timestamp()` })
		.where(
			and(
				inArray(table.analysis.id, [...analysisIds]),
				or(isNull(table.analysis.recordingUploadId), lt(table.analysis.recordingSince, abandoned))
			)
		)
		.returning({ id: table.analysis.id });
	return claimed.length === analysisIds.length;
}

/** Gives the upload's analyses back, so the next upload of them can be recorded. */
export async function releaseAnalyses(db: Database | Tx, uploadId: string): Promise<void> {
	await db
		.update(table.analysis)
		.set({ recordingUploadId: null, recordingSince: null })
		.where(eq(table.analysis.recordingUploadId, uploadId));
}

/** Runs `attempt` until it returns a value, waiting a little longer each time it returns null. */
export async function untilClaimed<T>(
	attempt: () => Promise<T | null>,
	waitMs = CLAIM_WAIT_MS
): Promise<T> {
	const deadline = Date.now() + waitMs;
	for (let pause = 20; ; pause = Math.min(pause * 2, 500)) {
		const result = await attempt();
		if (result !== null) return result;
		if (Date.now() + pause > deadline) throw new AnalysisBusyError();
		await new Promise((resolve) => setTimeout(resolve, pause));
	}
}
