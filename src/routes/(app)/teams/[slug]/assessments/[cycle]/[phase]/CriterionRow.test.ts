import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import CriterionRow from './CriterionRow.svelte';

type Props = Parameters<typeof CriterionRow>[1];

// Grype ran on 1 of 4 repositories: an answer of "all" is more than the pipelines show.
const facts = {
	covered: 1,
	repositories: 4,
	tools: ['Grype'],
	missing: ['pay/a', 'pay/b', 'pay/c'],
	categories: ['Software composition analysis'],
	branch: 'default' as const,
	maxAgeDays: 30
};

const row = (props: Partial<Props>) =>
	render(CriterionRow, {
		props: {
			criterion: {
				id: 'build.sca.1',
				text: 'Dependencies are scanned on every build.',
				answer: { value: 1, comment: '', evidence: [], version: 1, fingerprint: 'f' },
				previous: null,
				pipeline: facts
			},
			editable: true,
			...props
		}
	}).body;

describe('a criterion with pipeline facts on the assessment form', () => {
	it('marks an answer the pipelines contradict', () => {
		expect(row({})).toContain('class="contradicted');
	});

	it('marks nothing when the practice is not applicable, and still shows the facts', () => {
		const body = row({ notApplicable: true });
		expect(body).not.toContain('class="contradicted');
		expect(body).toContain('From the pipelines:');
	});
});
