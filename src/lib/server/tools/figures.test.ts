import { describe, expect, it } from 'vitest';
import {
	adoptionByTool,
	categoryFigures,
	practicesWithoutTools,
	share,
	type AdoptionRow
} from './figures';

const rows: AdoptionRow[] = [
	{ teamId: 't1', toolId: 'semgrep', state: 'enforced' },
	{ teamId: 't2', toolId: 'semgrep', state: 'adopted' },
	{ teamId: 't3', toolId: 'sonarqube', state: 'evaluating' },
	{ teamId: 't3', toolId: 'codeql', state: 'adopted' },
	{ teamId: 't4', toolId: 'bandit', state: 'adopted' },
	{ teamId: 't4', toolId: 'snyk', state: 'not_used' },
	{ teamId: 't1', toolId: 'gitleaks', state: 'adopted' }
];
const toolCategory = new Map([
	['semgrep', 'sast'],
	['sonarqube', 'sast'],
	['codeql', 'sast'],
	['bandit', 'sast'],
	['snyk', 'sca'],
	['gitleaks', 'secrets']
]);

describe('adoption figures', () => {
	it('counts teams per state, treating missing records as not used', () => {
		const c = adoptionByTool(['semgrep', 'snyk', 'trivy'], rows, 5);
		expect(c.get('semgrep')).toEqual({ not_used: 3, evaluating: 0, adopted: 1, enforced: 1 });
		expect(c.get('snyk')).toEqual({ not_used: 5, evaluating: 0, adopted: 0, enforced: 0 });
		expect(c.get('trivy')!.not_used).toBe(5);
		expect(share(2, 5)).toBe(0.4);
		expect(share(1, 0)).toBe(0);
	});

	it('gives category coverage and flags sprawl above the limit', () => {
		const cats = categoryFigures(
			[{ id: 'sast' }, { id: 'sca' }, { id: 'secrets' }],
			toolCategory,
			rows,
			5
		);
		// sast in use: semgrep (t1, t2), codeql (t3), bandit (t4) → 4 teams, 3 tools; sonarqube is only evaluated.
		expect(cats[0]).toEqual({ id: 'sast', teams: 4, coverage: 0.8, tools: 3, sprawl: false });
		expect(categoryFigures([{ id: 'sast' }], toolCategory, rows, 5, 2)[0]!.sprawl).toBe(true);
		expect(cats[1]).toEqual({ id: 'sca', teams: 0, coverage: 0, tools: 0, sprawl: false });
	});

	it('finds scored practices without a supporting tool in use', () => {
		const byPractice = new Map([
			['static-analysis', ['sast']],
			['dependency-scanning', ['sca']],
			['threat-modeling', []]
		]);
		const scored = [
			{ teamId: 't1', practiceId: 'static-analysis' },
			{ teamId: 't3', practiceId: 'static-analysis' },
			{ teamId: 't5', practiceId: 'static-analysis' },
			{ teamId: 't1', practiceId: 'dependency-scanning' },
			{ teamId: 't1', practiceId: 'threat-modeling' }
		];
		expect(practicesWithoutTools(scored, byPractice, toolCategory, rows)).toEqual([
			{ teamId: 't5', practiceId: 'static-analysis' },
			{ teamId: 't1', practiceId: 'dependency-scanning' }
		]);
	});
});
