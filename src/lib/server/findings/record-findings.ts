import { sql } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import { rowsOf } from '$lib/server/db/rows';
import type { ReportedFinding } from './scan-report';

/**
 * Findings written per statement. Each statement commits on its own and takes PGlite's single
 * connection for about 15 ms, so other people's pages are served between two of them.
 */
export const BATCH = 400;

type Db = Database | Tx;
export type Stored = Map<string, Map<string, 'open' | 'fixed'>>;
export interface ScanFindings {
	id: string;
	analysisId: string;
	findings: ReportedFinding[];
}

/** The longest pause between two batches. */
const MAX_PAUSE_MS = 50;

/** Waits before a batch, so that other requests can use the database between two of them. */
export type Pace = () => Promise<void>;

/**
 * Pauses before each batch but the first as long as the previous batch took (at least 1 ms, at
 * most MAX_PAUSE_MS): other requests get at least half of the database's time while an upload is
 * written, enough for a page's dozen short statements to run between two batches instead of each
 * waiting behind one.
 */
export function pacer(): Pace {
	let started = 0;
	return async () => {
		if (started) {
			const took = performance.now() - started;
			const pause = Math.min(MAX_PAUSE_MS, Math.max(1, took));
			await new Promise((resolve) => setTimeout(resolve, pause));
		}
		started = performance.now();
	};
}

const columns = sql.raw(`a uuid, s uuid, k text, r text, rn text, sv text, m text, h text,
	p text, sl int, el int, su boolean, sk text, sj text`);

/**
 * Inserts the findings first seen and refreshes the ones seen before (reopening fixed ones), a
 * batch per statement. Which is which comes from the stored states read under the analyses'
 * claim, so a plain insert and a plain update do what an upsert would, in half the time.
 */
export async function writeFindings(
	db: Db,
	teamId: string,
	repositoryId: string,
	scans: ScanFindings[],
	stored: Stored,
	now: Date,
	pace: Pace
): Promise<void> {
	const fresh: FindingRow[] = [];
	const seen: FindingRow[] = [];
	for (const s of scans) {
		const known = stored.get(s.analysisId);
		for (const f of s.findings) (known?.has(f.key) ? seen : fresh).push(findingRow(s, f));
	}
	const at = now.toISOString();
	for (let i = 0; i < fresh.length; i += BATCH) {
		await pace();
		const batch = JSON.stringify(fresh.slice(i, i + BATCH));
		await db.execute(sql`
			insert into finding (analysis_id, team_id, repository_id, key, rule_id, rule_name,
				severity, message, help, path, start_line, end_line, state, first_seen_at, last_seen_at,
				suppressed, suppression_kind, suppression_justification, last_scan_id)
			select r.a, ${teamId}::uuid, ${repositoryId}::uuid, r.k, r.r, r.rn, r.sv::finding_severity,
				r.m, r.h, r.p, r.sl, r.el, 'open', ${at}::timestamptz, ${at}::timestamptz, r.su, r.sk,
				r.sj, r.s
			from jsonb_to_recordset(${batch}::jsonb) as r(${columns})`);
	}
	for (let i = 0; i < seen.length; i += BATCH) {
		await pace();
		const batch = JSON.stringify(seen.slice(i, i + BATCH));
		await db.execute(sql`
			update finding f set rule_id = r.r, rule_name = r.rn, severity = r.sv::finding_severity,
				message = r.m, help = r.h, path = r.p, start_line = r.sl, end_line = r.el,
				state = 'open', fixed_at = null, last_seen_at = ${at}::timestamptz, suppressed = r.su,
				suppression_kind = r.sk, suppression_justification = r.sj, last_scan_id = r.s
			from jsonb_to_recordset(${batch}::jsonb) as r(${columns})
			where f.analysis_id = r.a and f.key = r.k`);
	}
}

type FindingRow = ReturnType<typeof findingRow>;

/** A finding as one JSON record of a batch (short names keep the parameter small). */
function findingRow(scan: { id: string; analysisId: string }, f: ReportedFinding) {
	return {
		a: scan.analysisId,
		s: scan.id,
		k: f.key,
		r: f.ruleId,
		rn: f.ruleName,
		sv: f.severity,
		m: f.message,
		h: f.help,
		p: f.location.path,
		sl: f.location.startLine,
		el: f.location.endLine,
		su: f.suppressed !== null,
		sk: f.suppressed?.kind ?? null,
		sj: f.suppressed?.justification ?? null
	};
}

/**
 * Fixes the open findings of the upload's analyses that its scans no longer report, a batch
 * per statement.
 */
export async function fixMissing(db: Db, uploadId: string, now: Date, pace: Pace): Promise<void> {
	for (;;) {
		await pace();
		const [done] = rowsOf<{ n: number }>(
			await db.execute(sql`
				with gone as (
					select f.id from finding f join scan s on f.analysis_id = s.analysis_id
					where s.upload_id = ${uploadId}::uuid and f.state = 'open'
						and f.last_scan_id is distinct from s.id
					limit ${BATCH * 2}
				), fixed as (
					update finding f set state = 'fixed', fixed_at = ${now.toISOString()}::timestamptz
					from gone where f.id = gone.id
					returning 1
				)
				select count(*)::int as n from fixed`)
		);
		if (!done || done.n < BATCH * 2) return;
	}
}
