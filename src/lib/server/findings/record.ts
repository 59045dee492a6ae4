import { inArray, sql } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { branchOf } from '$lib/schemas/integrations';
import { ensureRepository } from '$lib/server/integrations/repositories';
import type { ReportedFinding, ScanReport, ScannedTool } from './scan-report';

/** One upload from a pipeline, read and checked. */
export interface Upload {
	teamId: string;
	tokenId: string | null;
	repository: string;
	/** As sent (`refs/heads/main`, `main`, `refs/pull/7/merge`); absent means the default branch. */
	ref: string | null;
	commit: string | null;
	category: string | null;
	report: ScanReport;
}

export interface ScanCounts {
	/** Findings the upload reports (one per key). */
	results: number;
	/** Reported, not suppressed, and not open before (first seen, or reopened). */
	new: number;
	/** Of `new`, those that had been fixed and came back. */
	reopened: number;
	/** Open before and no longer reported. */
	fixed: number;
	/** Reported, not suppressed, and open before. */
	unchanged: number;
	/** Reported with a suppression in effect (SARIF suppressions, VEX "not affected"). */
	suppressed: number;
}

export interface RecordedScan {
	id: string;
	tool: ScannedTool;
	category: string;
	counts: ScanCounts;
}

export interface RecordedUpload {
	/** Shared by the upload's scans; null when the upload named no tool (a log without runs). */
	uploadId: string | null;
	repository: { id: string; name: string; defaultBranch: string } | null;
	ref: string | null;
	/** Whether findings changed: only uploads on the repository's default branch open and close them. */
	onDefaultBranch: boolean;
	scans: RecordedScan[];
	counts: ScanCounts;
}

const zero = (): ScanCounts => ({
	results: 0,
	new: 0,
	reopened: 0,
	fixed: 0,
	unchanged: 0,
	suppressed: 0
});

/** Findings written per statement: one JSON parameter each, so no parameter limit is near. */
const BATCH = 2000;

/**
 * Records an upload in one transaction: its repository (made on first sight), one analysis per
 * tool (team × repository × tool × category) and one scan of each. On the repository's default
 * branch the analysis's findings follow the upload: new ones open, ones no longer reported are
 * fixed (with the date), ones that come back reopen, first and last seen are kept. On any other
 * ref the scan shows that the tool ran and the counts compare with the default branch, but no
 * finding changes. Concurrent uploads to one analysis wait for each other (its row is locked).
 */
export async function recordUpload(
	db: Database | Tx,
	upload: Upload,
	now = new Date()
): Promise<RecordedUpload> {
	const tools = toolsOf(upload.report);
	if (!tools.length)
		return {
			uploadId: null,
			repository: null,
			ref: upload.ref,
			onDefaultBranch: false,
			scans: [],
			counts: zero()
		};
	const category = upload.category ?? '';
	return db.transaction(async (tx) => {
		const repository = await ensureRepository(tx, upload.teamId, upload.repository);
		const ref = upload.ref ?? repository.defaultBranch;
		const onDefaultBranch = branchOf(ref) === repository.defaultBranch;
		const analyses = await ensureAnalyses(tx, upload.teamId, repository.id, category, tools);
		const stored = await storedStates([...analyses.values()], tx);
		const uploadId = crypto.randomUUID();
		const byTool = groupByTool(upload.report.findings);
		const scans: (RecordedScan & { analysisId: string; findings: ReportedFinding[] })[] = tools.map(
			(tool) => {
				const analysisId = analyses.get(tool.name)!;
				const findings = byTool.get(tool.name) ?? [];
				return {
					id: crypto.randomUUID(),
					analysisId,
					tool,
					category,
					findings,
					counts: countScan(findings, stored.get(analysisId) ?? new Map())
				};
			}
		);
		await tx.insert(table.scan).values(
			scans.map((s) => ({
				id: s.id,
				uploadId,
				analysisId: s.analysisId,
				teamId: upload.teamId,
				ref,
				commitSha: upload.commit,
				onDefaultBranch,
				uploadedAt: now,
				tokenId: upload.tokenId,
				format: upload.report.format,
				toolVersion: s.tool.version,
				components: upload.report.components,
				results: s.counts.results,
				newCount: s.counts.new,
				fixedCount: s.counts.fixed,
				unchangedCount: s.counts.unchanged,
				suppressedCount: s.counts.suppressed
			}))
		);
		if (onDefaultBranch) {
			await writeFindings(tx, upload.teamId, repository.id, scans, stored, now);
			await fixMissing(tx, uploadId, now);
		}
		const counts = zero();
		for (const s of scans)
			for (const k of Object.keys(counts) as (keyof ScanCounts)[]) counts[k] += s.counts[k];
		return {
			uploadId,
			repository,
			ref,
			onDefaultBranch,
			scans: scans.map(({ id, tool, category, counts }) => ({ id, tool, category, counts })),
			counts
		};
	});
}

/** Each tool the upload names, once per name (the first version given), findings' tools included. */
function toolsOf(report: ScanReport): ScannedTool[] {
	const byName = new Map<string, ScannedTool>();
	for (const t of report.tools) if (!byName.has(t.name)) byName.set(t.name, t);
	for (const f of report.findings) if (!byName.has(f.tool.name)) byName.set(f.tool.name, f.tool);
	return [...byName.values()];
}

/** The findings of each tool; a key given twice counts once (the readers promise it; the upsert needs it). */
function groupByTool(findings: ReportedFinding[]): Map<string, ReportedFinding[]> {
	const byTool = new Map<string, ReportedFinding[]>();
	const seen = new Set<string>();
	for (const f of findings) {
		if (seen.has(f.key)) continue;
		seen.add(f.key);
		const list = byTool.get(f.tool.name);
		if (list) list.push(f);
		else byTool.set(f.tool.name, [f]);
	}
	return byTool;
}

/** The analyses of these tools, made when new; locks their rows until the upload commits. */
async function ensureAnalyses(
	tx: Tx,
	teamId: string,
	repositoryId: string,
	category: string,
	tools: ScannedTool[]
): Promise<Map<string, string>> {
	const rows = await tx
		.insert(table.analysis)
		.values(tools.map((t) => ({ teamId, repositoryId, toolName: t.name, category })))
		.onConflictDoUpdate({
			target: [table.analysis.repositoryId, table.analysis.toolName, table.analysis.category],
			set: { toolName: sql`excluded.tool_name` }
		})
		.returning({ id: table.analysis.id, toolName: table.analysis.toolName });
	return new Map(rows.map((r) => [r.toolName, r.id]));
}

type Stored = Map<string, Map<string, 'open' | 'fixed'>>;

/** The state of every stored finding of these analyses, by analysis and key. */
async function storedStates(analysisIds: string[], tx: Tx): Promise<Stored> {
	const rows = await tx
		.select({
			analysisId: table.finding.analysisId,
			key: table.finding.key,
			state: table.finding.state
		})
		.from(table.finding)
		.where(inArray(table.finding.analysisId, analysisIds));
	const stored: Stored = new Map();
	for (const r of rows) {
		let keys = stored.get(r.analysisId);
		if (!keys) stored.set(r.analysisId, (keys = new Map()));
		keys.set(r.key, r.state);
	}
	return stored;
}

/** What one scan changes, compared with the analysis's stored findings. */
export function countScan(
	findings: readonly ReportedFinding[],
	stored: ReadonlyMap<string, 'open' | 'fixed'>
): ScanCounts {
	const counts = zero();
	counts.results = findings.length;
	const reported = new Set<string>();
	for (const f of findings) {
		reported.add(f.key);
		const before = stored.get(f.key);
		if (f.suppressed) counts.suppressed++;
		else if (before === 'open') counts.unchanged++;
		else {
			counts.new++;
			if (before === 'fixed') counts.reopened++;
		}
	}
	for (const [key, state] of stored) if (state === 'open' && !reported.has(key)) counts.fixed++;
	return counts;
}

const columns = sql.raw(`a uuid, s uuid, k text, r text, rn text, sv text, m text, h text,
	p text, sl int, el int, su boolean, sk text, sj text`);

/**
 * Inserts the findings first seen and refreshes the ones seen before (reopening fixed ones), a
 * batch per statement. Which is which comes from the stored states read under the analyses'
 * locks, so a plain insert and a plain update do what an upsert would, in half the time.
 */
async function writeFindings(
	tx: Tx,
	teamId: string,
	repositoryId: string,
	scans: { id: string; analysisId: string; findings: ReportedFinding[] }[],
	stored: Stored,
	now: Date
): Promise<void> {
	const fresh: FindingRow[] = [];
	const seen: FindingRow[] = [];
	for (const s of scans) {
		const known = stored.get(s.analysisId);
		for (const f of s.findings) (known?.has(f.key) ? seen : fresh).push(findingRow(s, f));
	}
	const at = now.toISOString();
	for (let i = 0; i < fresh.length; i += BATCH) {
		const batch = JSON.stringify(fresh.slice(i, i + BATCH));
		await tx.execute(sql`
			insert into finding (analysis_id, team_id, repository_id, key, rule_id, rule_name,
				severity, message, help, path, start_line, end_line, state, first_seen_at, last_seen_at,
				suppressed, suppression_kind, suppression_justification, last_scan_id)
			select r.a, ${teamId}::uuid, ${repositoryId}::uuid, r.k, r.r, r.rn, r.sv::finding_severity,
				r.m, r.h, r.p, r.sl, r.el, 'open', ${at}::timestamptz, ${at}::timestamptz, r.su, r.sk,
				r.sj, r.s
			from jsonb_to_recordset(${batch}::jsonb) as r(${columns})`);
	}
	for (let i = 0; i < seen.length; i += BATCH) {
		const batch = JSON.stringify(seen.slice(i, i + BATCH));
		await tx.execute(sql`
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

/** Fixes the open findings of the upload's analyses that its scans no longer report. */
async function fixMissing(tx: Tx, uploadId: string, now: Date): Promise<void> {
	await tx.execute(sql`
		update finding f set state = 'fixed', fixed_at = ${now.toISOString()}::timestamptz
		from scan s
		where s.upload_id = ${uploadId}::uuid and f.analysis_id = s.analysis_id
			and f.state = 'open' and f.last_scan_id is distinct from s.id`);
}
