import { and, asc, desc, eq, inArray, isNull, max, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { AdoptionState } from '$lib/server/db/schema';
import {
	catalogueToolsFor,
	scannerKey,
	type CatalogueMatch
} from '$lib/server/findings/tool-mapping';
import { adoptionCheck, toolEvidenceMaxAgeDays } from '$lib/server/evidence/facts';
import { scannableCategories } from '$lib/server/evidence/tools';
import { getModel } from '$lib/server/model/load-model';

/*
 * What the read API answers for one team (the token's own): its scores per cycle, its open
 * findings, its tools with the evidence pipelines gave. Shapes are described in openapi.ts and
 * tests check real answers against it.
 */

/** The team's assessments, oldest cycle first: team score, phase scores and each practice's. */
export async function teamScores(db: Database, teamId: string) {
	const assessments = await db
		.select({
			id: table.assessment.id,
			cycle: table.cycle.name,
			startsOn: table.cycle.startsOn,
			dueOn: table.cycle.dueOn,
			cycleStatus: table.cycle.status,
			status: table.assessment.status,
			modelVersion: table.assessment.modelVersion,
			score: table.assessment.score
		})
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.where(eq(table.assessment.teamId, teamId))
		.orderBy(asc(table.cycle.startsOn), asc(table.cycle.name));
	const ids = assessments.map((a) => a.id);
	const [phases, practices] = ids.length
		? await Promise.all([
				db
					.select()
					.from(table.assessmentPhase)
					.where(inArray(table.assessmentPhase.assessmentId, ids)),
				db
					.select({
						assessmentId: table.assessmentPractice.assessmentId,
						practice: table.assessmentPractice.practiceId,
						phase: table.assessmentPractice.phase,
						score: table.assessmentPractice.score,
						achievedLevel: table.assessmentPractice.achievedLevel,
						target: table.assessmentPractice.target,
						notApplicable: table.assessmentPractice.notApplicable
					})
					.from(table.assessmentPractice)
					.where(inArray(table.assessmentPractice.assessmentId, ids))
					.orderBy(asc(table.assessmentPractice.practiceId))
			])
		: [[], []];
	return assessments.map(({ id, ...a }) => ({
		...a,
		phases: Object.fromEntries(
			phases.filter((p) => p.assessmentId === id).map((p) => [p.phase, p.score])
		),
		practices: practices
			.filter((p) => p.assessmentId === id)
			.map(({ assessmentId: _id, ...p }) => p)
	}));
}

/**
 * The team's open findings (not fixed, not suppressed, not dismissed), most severe and oldest
 * first (then by file and line, so pages do not shift), a page at a time.
 */
export async function openFindings(
	db: Database,
	teamId: string,
	page: { limit: number; offset: number; severity: (typeof table.findingSeverities)[number] | null }
) {
	const open = and(
		eq(table.finding.teamId, teamId),
		eq(table.finding.state, 'open'),
		eq(table.finding.suppressed, false),
		isNull(table.finding.dismissedAt),
		page.severity ? eq(table.finding.severity, page.severity) : undefined
	);
	const [rows, [total]] = await Promise.all([
		db
			.select({
				id: table.finding.id,
				repository: table.codeRepository.name,
				tool: table.analysis.toolName,
				category: table.analysis.category,
				ruleId: table.finding.ruleId,
				ruleName: table.finding.ruleName,
				severity: table.finding.severity,
				message: table.finding.message,
				path: table.finding.path,
				startLine: table.finding.startLine,
				endLine: table.finding.endLine,
				firstSeenAt: table.finding.firstSeenAt,
				lastSeenAt: table.finding.lastSeenAt
			})
			.from(table.finding)
			.innerJoin(table.analysis, eq(table.analysis.id, table.finding.analysisId))
			.innerJoin(table.codeRepository, eq(table.codeRepository.id, table.finding.repositoryId))
			.where(open)
			.orderBy(
				asc(table.finding.severity),
				asc(table.finding.firstSeenAt),
				asc(table.finding.path),
				asc(table.finding.startLine),
				asc(table.finding.id)
			)
			.limit(page.limit)
			.offset(page.offset),
		db
			.select({ n: sql<number>`count(*)::int` })
			.from(table.finding)
			.where(open)
	]);
	return { total: total?.n ?? 0, findings: rows };
}

/**
 * The team's tools: every tool it records (adoption) and every tool its pipelines ran, with the
 * last run's time, repository and ref, and the catalogue tool a scanner's name maps to.
 */
export async function toolEvidence(db: Database, teamId: string, now = new Date()) {
	const [adoptions, runs] = await Promise.all([
		db
			.select({
				toolId: table.tool.id,
				name: table.tool.name,
				category: table.tool.categoryId,
				state: table.toolAdoption.state,
				since: table.toolAdoption.since
			})
			.from(table.toolAdoption)
			.innerJoin(table.tool, eq(table.tool.id, table.toolAdoption.toolId))
			.where(eq(table.toolAdoption.teamId, teamId))
			.orderBy(asc(table.tool.name)),
		lastRuns(db, teamId)
	]);
	const catalogue = await catalogueToolsFor(
		db,
		runs.map((r) => r.scanner)
	);
	const evidence = runs.map((r) => ({
		...r,
		catalogueTool: catalogue.get(scannerKey(r.scanner)) ?? null
	}));
	const byTool = new Map<string, typeof evidence>();
	for (const e of evidence)
		if (e.catalogueTool)
			byTool.set(e.catalogueTool.id, [...(byTool.get(e.catalogueTool.id) ?? []), e]);
	const recorded = new Set(adoptions.map((a) => a.toolId));
	const unrecorded = [...byTool.keys()].filter((id) => !recorded.has(id));
	const extra = unrecorded.length
		? await db
				.select({ toolId: table.tool.id, name: table.tool.name, category: table.tool.categoryId })
				.from(table.tool)
				.where(inArray(table.tool.id, unrecorded))
		: [];
	const runsOf = (id: string) => (byTool.get(id) ?? []).map(({ catalogueTool: _c, ...run }) => run);
	// The check the team's tools page shows (evidence/tools.ts): enforced but stale, or unrecorded.
	const maxAge = toolEvidenceMaxAgeDays();
	const scannable = scannableCategories(getModel());
	const checked = <T extends { toolId: string; category: string; state: AdoptionState | null }>(
		t: T
	) => {
		const runs = runsOf(t.toolId);
		const last = runs.reduce<(typeof runs)[number] | null>(
			(a, r) => (!a || r.lastRunAt > a.lastRunAt ? r : a),
			null
		);
		const lastRun = last && { at: last.lastRunAt, ref: last.ref, repository: last.repository };
		const check = adoptionCheck(t.state, lastRun, now, maxAge, scannable.has(t.category));
		return { ...t, runs, check };
	};
	return {
		tools: [
			...adoptions.map(checked),
			...extra.map((t) => checked({ ...t, state: null, since: null }))
		],
		unmapped: evidence.filter((e) => !e.catalogueTool).map(({ catalogueTool: _c, ...run }) => run)
	};
}

/** Each analysis's newest scan (one row per repository × scanner × category). */
async function lastRuns(db: Database, teamId: string) {
	const latest = db
		.select({ analysisId: table.scan.analysisId, at: max(table.scan.uploadedAt).as('at') })
		.from(table.scan)
		.where(eq(table.scan.teamId, teamId))
		.groupBy(table.scan.analysisId)
		.as('latest');
	const rows = await db
		.select({
			scanner: table.analysis.toolName,
			category: table.analysis.category,
			repository: table.codeRepository.name,
			lastRunAt: table.scan.uploadedAt,
			ref: table.scan.ref,
			commit: table.scan.commitSha,
			defaultBranch: table.scan.onDefaultBranch
		})
		.from(latest)
		.innerJoin(
			table.scan,
			and(eq(table.scan.analysisId, latest.analysisId), eq(table.scan.uploadedAt, latest.at))
		)
		.innerJoin(table.analysis, eq(table.analysis.id, table.scan.analysisId))
		.innerJoin(table.codeRepository, eq(table.codeRepository.id, table.analysis.repositoryId))
		.orderBy(desc(table.scan.uploadedAt));
	// Two scans of one analysis at the same instant (one upload) are one run.
	const seen = new Set<string>();
	return rows.filter((r) => {
		const key = JSON.stringify([r.scanner, r.category, r.repository]);
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

/** One upload of the team: its scans with their tools and counts; null when the team has no such upload. */
export async function uploadSummary(db: Database, teamId: string, uploadId: string) {
	const scans = await db
		.select({
			id: table.scan.id,
			uploadedAt: table.scan.uploadedAt,
			repository: table.codeRepository.name,
			ref: table.scan.ref,
			commit: table.scan.commitSha,
			defaultBranch: table.scan.onDefaultBranch,
			format: table.scan.format,
			tool: table.analysis.toolName,
			toolVersion: table.scan.toolVersion,
			category: table.analysis.category,
			components: table.scan.components,
			results: table.scan.results,
			new: table.scan.newCount,
			fixed: table.scan.fixedCount,
			unchanged: table.scan.unchangedCount,
			suppressed: table.scan.suppressedCount
		})
		.from(table.scan)
		.innerJoin(table.analysis, eq(table.analysis.id, table.scan.analysisId))
		.innerJoin(table.codeRepository, eq(table.codeRepository.id, table.analysis.repositoryId))
		.where(and(eq(table.scan.uploadId, uploadId), eq(table.scan.teamId, teamId)))
		.orderBy(asc(table.analysis.toolName));
	if (!scans.length) return null;
	const catalogue = await catalogueToolsFor(
		db,
		scans.map((s) => s.tool)
	);
	const first = scans[0]!;
	const sum = (k: 'results' | 'new' | 'fixed' | 'unchanged' | 'suppressed') =>
		scans.reduce((n, s) => n + s[k], 0);
	return {
		id: uploadId,
		uploadedAt: first.uploadedAt,
		format: first.format,
		repository: first.repository,
		ref: first.ref,
		commit: first.commit,
		defaultBranch: first.defaultBranch,
		counts: {
			results: sum('results'),
			new: sum('new'),
			fixed: sum('fixed'),
			unchanged: sum('unchanged'),
			suppressed: sum('suppressed')
		},
		scans: scans.map((s) => ({
			id: s.id,
			tool: {
				name: s.tool,
				version: s.toolVersion,
				catalogueTool: catalogue.get(scannerKey(s.tool)) ?? (null as CatalogueMatch | null)
			},
			category: s.category,
			components: s.components,
			counts: {
				results: s.results,
				new: s.new,
				fixed: s.fixed,
				unchanged: s.unchanged,
				suppressed: s.suppressed
			}
		}))
	};
}
