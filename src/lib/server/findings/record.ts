import { eq, inArray, sql, TransactionRollbackError } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { branchOf } from '$lib/schemas/integrations';
import { ensureRepository } from '$lib/server/integrations/repositories';
import { claimAnalyses, releaseAnalyses, untilClaimed } from './recording-claim';
import {
	fixMissing,
	pacer,
	writeFindings,
	type ScanFindings,
	type Stored
} from './record-findings';
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

/**
 * Records an upload: its repository (made on first sight), one analysis per tool (team ×
 * repository × tool × category) and one scan of each. On the repository's default branch the
 * analysis's findings follow the upload: new ones open, ones no longer reported are fixed (with
 * the date), ones that come back reopen, first and last seen are kept. On any other ref the scan
 * shows that the tool ran and the counts compare with the default branch, but no finding changes.
 *
 * A default-branch upload claims its analyses in a first short transaction (with the scans and
 * their counts), then writes findings a batch per statement, so that a 10,000-result upload does
 * not hold the embedded database's one connection for a second; another upload of the same
 * analysis waits for the claim. If writing fails, the scans go and the claim is released: the
 * findings already written stay, as the tool reported them, and the pipeline's next upload of
 * the analysis settles the rest.
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
	const uploadId = crypto.randomUUID();
	const begun = await untilClaimed(() =>
		db
			.transaction(async (tx) => {
				const repository = await ensureRepository(tx, upload.teamId, upload.repository);
				const ref = upload.ref ?? repository.defaultBranch;
				const onDefaultBranch = branchOf(ref) === repository.defaultBranch;
				const analyses = await ensureAnalyses(tx, upload.teamId, repository.id, tools, upload);
				if (onDefaultBranch && !(await claimAnalyses(tx, [...analyses.values()], uploadId))) {
					tx.rollback();
				}
				const stored = await storedStates([...analyses.values()], tx);
				const scans = scansOf(upload, tools, analyses, stored);
				await insertScans(tx, upload, uploadId, ref, onDefaultBranch, scans, now);
				return { repository, ref, onDefaultBranch, stored, scans };
			})
			.catch((e: unknown) => {
				if (e instanceof TransactionRollbackError) return null;
				throw e;
			})
	);
	const { repository, ref, onDefaultBranch, stored, scans } = begun;
	if (onDefaultBranch) {
		try {
			const pace = pacer();
			await writeFindings(db, upload.teamId, repository.id, scans, stored, now, pace);
			await fixMissing(db, uploadId, now, pace);
		} catch (e) {
			await db
				.delete(table.scan)
				.where(eq(table.scan.uploadId, uploadId))
				.catch(() => {});
			throw e;
		} finally {
			await releaseAnalyses(db, uploadId).catch(() => {});
		}
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
}

type PlannedScan = RecordedScan & ScanFindings;

/** One scan per tool, counted against the stored findings of its analysis. */
function scansOf(
	upload: Upload,
	tools: ScannedTool[],
	analyses: Map<string, string>,
	stored: Stored
): PlannedScan[] {
	const byTool = groupByTool(upload.report.findings);
	return tools.map((tool) => {
		const analysisId = analyses.get(tool.name)!;
		const findings = byTool.get(tool.name) ?? [];
		return {
			id: crypto.randomUUID(),
			analysisId,
			tool,
			category: upload.category ?? '',
			findings,
			counts: countScan(findings, stored.get(analysisId) ?? new Map())
		};
	});
}

async function insertScans(
	tx: Tx,
	upload: Upload,
	uploadId: string,
	ref: string,
	onDefaultBranch: boolean,
	scans: PlannedScan[],
	now: Date
): Promise<void> {
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

/** The analyses of these tools, made when new. */
async function ensureAnalyses(
	tx: Tx,
	teamId: string,
	repositoryId: string,
	tools: ScannedTool[],
	upload: Upload
): Promise<Map<string, string>> {
	const category = upload.category ?? '';
	const rows = await tx
		.insert(table.analysis)
		.values(tools.map((t) => ({ teamId, repositoryId, toolName: t.name, category })))
		.onConflictDoUpdate({
			target: [table.analysis.repositoryId, table.analysis.toolName, table.analysis.category],
			// A column outside every unique index (see ensureRepository): no lock against findings' writes.
			set: { createdAt: sql`${table.analysis.createdAt}` }
		})
		.returning({ id: table.analysis.id, toolName: table.analysis.toolName });
	return new Map(rows.map((r) => [r.toolName, r.id]));
}

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
