import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import UnitHeatmap from './UnitHeatmap.svelte';

// The per-unit heatmap shows only above 60 teams, which no browser-test organisation has.
describe('heatmap per org unit', () => {
	const html = render(UnitHeatmap, {
		props: {
			rows: [
				{
					unitId: '6f9d2f4e-0000-4000-8000-000000000001',
					unit: 'Payments <b>',
					teams: 12,
					score: 2.345,
					levels: [2.26, null]
				},
				{ unitId: null, unit: 'No org unit', teams: 1, score: null, levels: [0, 3.5] }
			],
			phases: [
				{ id: 'plan', name: 'Plan' },
				{ id: 'build', name: 'Build' }
			],
			practices: [
				{ id: 'threat-modeling', name: 'Threat modeling (STRIDE)', phase: 'plan' },
				{ id: 'sast', name: 'Static analysis', phase: 'build' }
			],
			teamCount: 13,
			cycle: '2026-Q4'
		}
	}).body;

	it('colours each cell by its rounded mean level and prints the mean', () => {
		expect(html).toContain('<td class="l2">2.3</td>');
		expect(html).toContain('<td class="none">·</td>');
		expect(html).toContain('<td class="l0">0.0</td>');
		expect(html).toContain('<td class="l4">3.5</td>');
	});

	it('links a unit to its own dashboard for the same cycle, and escapes names', () => {
		expect(html).toContain(
			'href="/dashboard?cycle=2026-Q4&amp;unit=6f9d2f4e-0000-4000-8000-000000000001">Payments &lt;b></a>'
		);
		expect(html).toContain('href="/dashboard/heatmap?cycle=2026-Q4"');
		expect(html).not.toContain('<b>');
	});
});
