import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import PlanSummary from './PlanSummary.svelte';

type Plan = Parameters<typeof PlanSummary>[1]['plan'];
const text = (plan: Partial<Plan>) =>
	render(PlanSummary, {
		props: {
			slug: 'payments-api',
			plan: {
				open: 0,
				overdue: 0,
				met: 0,
				items: [],
				projection: null,
				canEdit: false,
				...plan
			} as Plan
		}
	})
		.body.replace(/<!--[^>]*-->/g, '')
		.replace(/<[^>]+>/g, '')
		.replace(/\s+/g, ' ');

describe("the team page's plan section", () => {
	it('says how many items are open, overdue and met, and the score they would reach', () => {
		const item = {
			id: '1',
			action: 'Block merges on <new> findings',
			practiceName: 'Static analysis (SAST)',
			ownerName: 'Ben',
			dueOn: '2026-11-19',
			overdue: true,
			met: false,
			carriedFrom: '2026-Q3'
		};
		const out = text({
			open: 7,
			overdue: 2,
			met: 1,
			items: [item] as never,
			projection: { current: 2.19, projected: 2.4 },
			canEdit: true
		});
		expect(out).toContain(
			'7 open items, 2 overdue, 1 met by the current answers. Once they are done the team score goes from 2.19 to 2.40 of 4.'
		);
		expect(out).toContain(
			'Block merges on &lt;new> findings (Static analysis (SAST); Ben, due 2026-11-19) overdue from 2026-Q3'
		);
		expect(out).toContain('and 6 more.');
		expect(out).toContain('Open the improvement plan · Plan a next step');
	});

	it('offers planning only to those who may, and says when nothing is planned', () => {
		const out = text({});
		expect(out).toContain('Nothing is planned yet.');
		expect(out).toContain('Open the improvement plan');
		expect(out).not.toContain('Plan a next step');
	});
});
