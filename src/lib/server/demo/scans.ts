import { and, eq } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { recomputeScores } from '$lib/server/assessments/scores-store';
import { readSarif } from '$lib/server/findings/sarif';
import { recordUpload } from '$lib/server/findings/record';
import type { Model } from '$lib/server/model/types';
import {
	demoAnalyses,
	demoClaim,
	demoScanDate,
	demoScanAdoption,
	type DemoAnalysis
} from './scan-plan';

/** A SARIF 2.1.0 log of one analysis as its pipeline would have uploaded it in `week`. */
export function demoSarif(analysis: DemoAnalysis, week: number) {
	return {
		$schema: 'https://json.schemastore.org/sarif-2.1.0.json',
		version: '2.1.0',
		runs: [
			{
				tool: {
					driver: {
						name: analysis.tool,
						version: analysis.version,
						informationUri: analysis.informationUri,
						rules: analysis.rules.map((r) => ({
							id: r.id,
							name: r.id,
							shortDescription: { text: r.title },
							defaultConfiguration: { level: r.level },
							help: { text: r.help, markdown: r.help },
							properties: r.securitySeverity ? { 'security-severity': r.securitySeverity } : {}
						}))
					}
				},
				results: analysis.issues
					.filter((i) => i.opened <= week && (i.fixed === undefined || week < i.fixed))
					.map((i) => ({
						ruleId: analysis.rules[i.rule]!.id,
						ruleIndex: i.rule,
						level: analysis.rules[i.rule]!.level,
						message: { text: i.message },
						locations: [
							{
								physicalLocation: {
									artifactLocation: { uri: i.path, uriBaseId: '%SRCROOT%' },
									region: { startLine: i.line }
								}
							}
						],
						...(i.suppressed
							? { suppressions: [{ kind: 'inSource', justification: i.suppressed }] }
							: {})
					}))
			}
		]
	};
}

/**
 * Pipelines for a few demo teams: weekly scans over the last weeks, recorded as uploads are (so
 * findings open and get fixed week by week), a tool recorded as enforced whose last run is old,
 * and an "all" answer that the scans contradict.
 */
export async function seedDemoScans(tx: Tx, model: Model, teamId: ReadonlyMap<string, string>) {
	const uploads = demoAnalyses.flatMap((a) => [
		...a.weeks.map((week) => ({ a, week, ref: 'refs/heads/main' })),
		...(a.pullRequests ?? []).map((week) => ({ a, week, ref: `refs/pull/${40 + week}/merge` }))
	]);
	// In time order, as the pipelines sent them: fixes follow the scans before them.
	uploads.sort((x, y) => demoScanDate(x.a, x.week).getTime() - demoScanDate(y.a, y.week).getTime());
	for (const { a, week, ref } of uploads) {
		await recordUpload(
			tx,
			{
				teamId: teamId.get(a.team)!,
				tokenId: null,
				repository: a.repository,
				ref,
				commit: commitOf(a, week, ref),
				category: null,
				report: readSarif(demoSarif(a, week))
			},
			demoScanDate(a, week)
		);
	}
	for (const { team, toolId, state } of demoScanAdoption)
		await tx
			.insert(table.toolAdoption)
			.values({ teamId: teamId.get(team)!, toolId, state, since: '2026-03-01', note: '' })
			.onConflictDoUpdate({
				target: [table.toolAdoption.teamId, table.toolAdoption.toolId],
				set: { state }
			});
	await seedContradiction(tx, model, teamId.get(demoClaim.team)!);
}

/** The claim the scans contradict, in the team's assessment of the current cycle. */
async function seedContradiction(tx: Tx, model: Model, teamId: string) {
	const [current] = await tx
		.select({ id: table.assessment.id })
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.where(and(eq(table.assessment.teamId, teamId), eq(table.cycle.status, 'open')));
	if (!current) return;
	await tx
		.insert(table.answer)
		.values({
			assessmentId: current.id,
			criterionId: demoClaim.criterionId,
			value: 1,
			comment: demoClaim.comment,
			evidence: []
		})
		.onConflictDoUpdate({
			target: [table.answer.assessmentId, table.answer.criterionId],
			set: { value: 1, comment: demoClaim.comment }
		});
	await recomputeScores(tx, model, current.id);
}

/** A made-up but stable 40-hex commit for an upload. */
function commitOf(a: DemoAnalysis, week: number, ref: string): string {
	let h = 0x811c9dc5;
	for (const ch of `${a.repository}|${a.tool}|${week}|${ref}`)
		h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
	return (h >>> 0).toString(16).padStart(8, '0').repeat(5);
}
