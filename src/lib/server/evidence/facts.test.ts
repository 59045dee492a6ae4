import { describe, expect, it } from 'vitest';
import type { EvidenceRule } from '$lib/server/model/types';
import {
	DAY_MS,
	adoptionCheck,
	lastRunByTool,
	pipelineFacts,
	toolEvidenceMaxAgeDays,
	withinDays,
	type RepositoryRun,
	type TeamRuns
} from './facts';

const now = new Date('2026-05-20T12:00:00Z');
const ago = (days: number, ms = 0) => new Date(now.getTime() - days * DAY_MS - ms);

const grype = (
	repository: string,
	onDefault: number | null,
	onOther: number | null = null
): RepositoryRun => ({
	repository,
	toolId: 'grype',
	tool: 'Grype',
	categories: ['container-scanning'],
	onDefault: onDefault === null ? null : { at: ago(onDefault), ref: 'main' },
	onOther: onOther === null ? null : { at: ago(onOther), ref: 'refs/pull/7/merge' }
});

const sca: EvidenceRule = {
	categories: ['sca', 'container-scanning'],
	branch: 'any',
	maxAgeDays: 30
};

describe('the facts behind an evidence rule', () => {
	it('counts repositories with a qualifying run: Grype ran on 3 of 4', () => {
		const team: TeamRuns = {
			repositories: ['payments/api', 'payments/web', 'payments/jobs', 'payments/infra'],
			runs: [grype('payments/api', 2), grype('payments/web', 10), grype('payments/jobs', 29)]
		};
		expect(pipelineFacts(sca, team, now)).toEqual({
			tools: ['Grype'],
			covered: 3,
			repositories: 4,
			missing: ['payments/infra'],
			categories: ['sca', 'container-scanning'],
			branch: 'any',
			maxAgeDays: 30
		});
	});

	it('counts a run exactly at the age limit, not a millisecond older', () => {
		expect(withinDays(ago(30), now, 30)).toBe(true);
		expect(withinDays(ago(30, 1), now, 30)).toBe(false);
		const team = (ms: number): TeamRuns => ({
			repositories: ['a'],
			runs: [{ ...grype('a', null), onDefault: { at: ago(30, ms), ref: 'main' } }]
		});
		expect(pipelineFacts(sca, team(0), now)?.covered).toBe(1);
		expect(pipelineFacts(sca, team(1), now)).toMatchObject({
			covered: 0,
			tools: [],
			missing: ['a']
		});
	});

	it('tells pull-request scans from default-branch scans', () => {
		const team: TeamRuns = {
			repositories: ['a', 'b', 'c'],
			// a: default branch only; b: a pull request only; c: both, the pull request too old.
			runs: [grype('a', 1), grype('b', null, 1), grype('c', 3, 40)]
		};
		const covered = (branch: EvidenceRule['branch']) =>
			pipelineFacts({ ...sca, branch }, team, now)!.missing;
		expect(covered('default')).toEqual(['b']);
		expect(covered('pull-requests')).toEqual(['a', 'c']);
		expect(covered('any')).toEqual([]);
	});

	it('counts repositories without any run, and tools of other categories not at all', () => {
		const semgrep: RepositoryRun = {
			...grype('b', 1),
			toolId: 'semgrep',
			tool: 'Semgrep',
			categories: ['sast']
		};
		const team: TeamRuns = { repositories: ['a', 'b', 'c'], runs: [grype('a', 5), semgrep] };
		expect(pipelineFacts(sca, team, now)).toMatchObject({
			tools: ['Grype'],
			covered: 1,
			repositories: 3,
			missing: ['b', 'c']
		});
		expect(pipelineFacts({ ...sca, categories: ['dast'] }, team, now)).toMatchObject({
			tools: [],
			covered: 0,
			repositories: 3
		});
	});

	it('counts a tool mapped to two of the rule’s categories once per repository', () => {
		const trivy: RepositoryRun = {
			...grype('a', 1),
			toolId: 'trivy',
			tool: 'Trivy',
			categories: ['sca', 'container-scanning']
		};
		const team: TeamRuns = {
			repositories: ['a', 'b'],
			runs: [trivy, { ...trivy, repository: 'b', onDefault: null }, grype('a', 2)]
		};
		expect(pipelineFacts(sca, team, now)).toMatchObject({
			tools: ['Grype', 'Trivy'],
			covered: 1,
			repositories: 2,
			missing: ['b']
		});
		// It counts for either category alone too.
		expect(pipelineFacts({ ...sca, categories: ['sca'] }, team, now)).toMatchObject({
			tools: ['Trivy'],
			covered: 1
		});
	});

	it('has no facts for a team whose pipelines never uploaded', () => {
		expect(pipelineFacts(sca, null, now)).toBeNull();
		expect(pipelineFacts(sca, { repositories: [], runs: [] }, now)).toBeNull();
		// A team that uploads, but not with these tools, has facts: none of its repositories.
		expect(pipelineFacts(sca, { repositories: ['a'], runs: [] }, now)).toMatchObject({
			covered: 0,
			repositories: 1
		});
	});
});

describe('adoption against the pipelines', () => {
	const run = (days: number) => ({ at: ago(days), ref: 'main', repository: 'payments/api' });

	it('flags "enforced" without a run in the last N days, for tools a pipeline can show', () => {
		expect(adoptionCheck('enforced', run(3), now, 30, true)).toBeNull();
		expect(adoptionCheck('enforced', run(30), now, 30, true)).toBeNull();
		expect(adoptionCheck('enforced', run(31), now, 30, true)).toBe('stale');
		expect(adoptionCheck('enforced', null, now, 30, true)).toBe('stale');
		// A secret store is enforced without ever uploading a scan: nothing to flag.
		expect(adoptionCheck('enforced', null, now, 30, false)).toBeNull();
		// But a tool that did upload and stopped is flagged whatever its category.
		expect(adoptionCheck('enforced', run(45), now, 30, false)).toBe('stale');
		expect(adoptionCheck('adopted', null, now, 30, true)).toBeNull();
	});

	it('offers an update for a tool that runs but is recorded as not used or not at all', () => {
		expect(adoptionCheck('not_used', run(2), now, 30, true)).toBe('unrecorded');
		expect(adoptionCheck(null, run(2), now, 30, false)).toBe('unrecorded');
		expect(adoptionCheck(null, run(31), now, 30, true)).toBeNull();
		expect(adoptionCheck('evaluating', run(2), now, 30, true)).toBeNull();
	});

	it('finds each tool’s newest run across repositories and refs', () => {
		const last = lastRunByTool([
			grype('a', 5, 2),
			grype('b', 1),
			{ ...grype('c', 9), toolId: 'trivy' }
		]);
		expect(last.get('grype')).toEqual({ at: ago(1), ref: 'main', repository: 'b' });
		expect(last.get('trivy')).toMatchObject({ repository: 'c', at: ago(9) });
		expect(lastRunByTool([grype('a', 5, 2)]).get('grype')).toMatchObject({
			ref: 'refs/pull/7/merge',
			at: ago(2)
		});
	});

	it('reads TOOL_EVIDENCE_MAX_AGE_DAYS, falling back to 30 for anything but a positive whole number', () => {
		expect(toolEvidenceMaxAgeDays({})).toBe(30);
		expect(toolEvidenceMaxAgeDays({ TOOL_EVIDENCE_MAX_AGE_DAYS: '14' })).toBe(14);
		for (const bad of ['0', '-3', '7.5', 'ten', '', '1e3'])
			expect(toolEvidenceMaxAgeDays({ TOOL_EVIDENCE_MAX_AGE_DAYS: bad }), bad).toBe(30);
	});
});
