import type { Database } from '$lib/server/db';
import { readFilters } from './findings-view';
import { allFindings, teamAnalyses } from './team-findings';

export const findingColumns = [
	'severity',
	'state',
	'repository',
	'tool',
	'category',
	'rule_id',
	'rule_name',
	'message',
	'path',
	'start_line',
	'end_line',
	'first_seen',
	'last_seen',
	'fixed',
	'suppressed',
	'suppression_justification',
	'dismissed',
	'dismissed_by',
	'dismissed_reason'
] as const;

const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;

/**
 * A team's findings as the list's filters in the address keep them, every page, one row each
 * (untrusted text as it is stored: the CSV writer defuses formulas). Returns the filters read.
 */
export async function findingExport(db: Database, teamId: string, params: URLSearchParams) {
	const analyses = await teamAnalyses(db, teamId);
	const { filters } = readFilters(params, {
		tools: analyses.map((a) => a.tool),
		repositories: analyses.map((a) => a.repository)
	});
	const analysisOf = new Map(analyses.map((a) => [a.id, a]));
	async function* rows() {
		for await (const f of allFindings(db, teamId, filters, analyses)) {
			const a = analysisOf.get(f.analysisId);
			yield {
				severity: f.severity,
				state:
					f.state === 'fixed'
						? 'fixed'
						: f.dismissedAt
							? 'dismissed'
							: f.suppressed
								? 'suppressed'
								: 'open',
				repository: a?.repository,
				tool: a?.tool,
				category: a?.category,
				rule_id: f.ruleId,
				rule_name: f.ruleName,
				message: f.message,
				path: f.path,
				start_line: f.startLine,
				end_line: f.endLine,
				first_seen: day(f.firstSeenAt),
				last_seen: day(f.lastSeenAt),
				fixed: day(f.fixedAt),
				suppressed: f.suppressed ? (f.suppressionKind ?? 'yes') : null,
				suppression_justification: f.suppressionJustification,
				dismissed: day(f.dismissedAt),
				dismissed_by: f.dismissedBy,
				dismissed_reason: f.dismissedReason
			};
		}
	}
	return { filters, rows: rows() };
}
