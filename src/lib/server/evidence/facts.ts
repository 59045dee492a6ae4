import type { AdoptionState } from '$lib/server/db/schema';
import type { EvidenceBranch, EvidenceRule } from '$lib/server/model/types';

/*
 * What the pipelines show, as pure functions of the team's newest scans (read by runs.ts): the
 * facts behind a criterion's evidence rule, and the check on a tool's recorded adoption.
 */

export const DAY_MS = 86_400_000;

/** One scan's moment and ref (as uploaded: `main`, `refs/pull/7/merge`). */
export interface ScanMoment {
	at: Date;
	ref: string;
}

/** A catalogue tool's newest scans of one repository: on its default branch and on any other ref. */
export interface RepositoryRun {
	repository: string;
	toolId: string;
	/** The catalogue tool's name. */
	tool: string;
	/** The catalogue categories the tool counts for. */
	categories: readonly string[];
	onDefault: ScanMoment | null;
	onOther: ScanMoment | null;
}

/** A team's repositories (every one a pipeline uploaded from) and its tools' newest scans of them. */
export interface TeamRuns {
	repositories: readonly string[];
	runs: readonly RepositoryRun[];
}

/** What the pipelines show for one criterion's rule; the words are the page's. */
export interface PipelineFacts {
	/** The tools of the rule's categories that ran as the rule asks, by name. */
	tools: string[];
	/** Repositories with such a run, of the team's repositories. */
	covered: number;
	repositories: number;
	/** The repositories without one, by name. */
	missing: string[];
	categories: string[];
	branch: EvidenceBranch;
	maxAgeDays: number;
}

/** Whether a moment lies within the last `days` days: exactly `days` × 24 hours ago still does. */
export function withinDays(at: Date, now: Date, days: number): boolean {
	return now.getTime() - at.getTime() <= days * DAY_MS;
}

/** The newest scan of a run that the rule's branch accepts. */
function newestFor(run: RepositoryRun, branch: EvidenceBranch): ScanMoment | null {
	if (branch === 'default') return run.onDefault;
	if (branch === 'pull-requests') return run.onOther;
	return newestOf(run.onDefault, run.onOther);
}

/** The later of two scans (either may be missing). */
export function newestOf(a: ScanMoment | null, b: ScanMoment | null): ScanMoment | null {
	if (!a) return b;
	if (!b) return a;
	return b.at > a.at ? b : a;
}

/**
 * The facts behind a rule for a team: which repositories had a scan by a tool of one of the
 * rule's categories, on the refs it names, in the last `maxAgeDays` days. Null when the team's
 * pipelines never uploaded anything: then there are no facts to show or check against.
 */
export function pipelineFacts(
	rule: EvidenceRule,
	team: TeamRuns | null,
	now: Date
): PipelineFacts | null {
	if (!team || team.repositories.length === 0) return null;
	const wanted = new Set(rule.categories);
	const tools = new Set<string>();
	const covered = new Set<string>();
	for (const run of team.runs) {
		if (!run.categories.some((c) => wanted.has(c))) continue;
		const scan = newestFor(run, rule.branch);
		if (!scan || !withinDays(scan.at, now, rule.maxAgeDays)) continue;
		tools.add(run.tool);
		covered.add(run.repository);
	}
	const repositories = [...new Set(team.repositories)];
	return {
		tools: [...tools].sort((a, b) => a.localeCompare(b)),
		covered: repositories.filter((r) => covered.has(r)).length,
		repositories: repositories.length,
		missing: repositories.filter((r) => !covered.has(r)).sort((a, b) => a.localeCompare(b)),
		categories: [...rule.categories],
		branch: rule.branch,
		maxAgeDays: rule.maxAgeDays
	};
}

/** The default of TOOL_EVIDENCE_MAX_AGE_DAYS. */
export const DEFAULT_TOOL_EVIDENCE_MAX_AGE_DAYS = 30;

/** The configured TOOL_EVIDENCE_MAX_AGE_DAYS: how recent a run must be to back an adoption. */
export function toolEvidenceMaxAgeDays(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.TOOL_EVIDENCE_MAX_AGE_DAYS?.trim() ?? '';
	const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
	return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_TOOL_EVIDENCE_MAX_AGE_DAYS;
}

/** A tool's newest run across the team's repositories. */
export interface LastRun extends ScanMoment {
	repository: string;
}

/**
 * How a recorded adoption stands against the pipelines: `stale` when the tool is recorded as
 * enforced but did not run in the last `maxAgeDays` days (only for tools a pipeline can show:
 * `scannable`), `unrecorded` when it ran in that time but is recorded as not used or not at all.
 */
export function adoptionCheck(
	state: AdoptionState | null,
	lastRun: LastRun | null,
	now: Date,
	maxAgeDays: number,
	scannable: boolean
): 'stale' | 'unrecorded' | null {
	const recent = lastRun !== null && withinDays(lastRun.at, now, maxAgeDays);
	if (state === 'enforced' && !recent && (scannable || lastRun !== null)) return 'stale';
	if ((state === null || state === 'not_used') && recent) return 'unrecorded';
	return null;
}

/** Each catalogue tool's newest run across the team's repositories, by tool id. */
export function lastRunByTool(runs: readonly RepositoryRun[]): Map<string, LastRun> {
	const last = new Map<string, LastRun>();
	for (const run of runs) {
		const scan = newestOf(run.onDefault, run.onOther);
		if (!scan) continue;
		const seen = last.get(run.toolId);
		if (!seen || scan.at > seen.at) last.set(run.toolId, { ...scan, repository: run.repository });
	}
	return last;
}
