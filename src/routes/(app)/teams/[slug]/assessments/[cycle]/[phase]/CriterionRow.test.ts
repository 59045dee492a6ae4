import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import CriterionRow from './CriterionRow.svelte';
import { coverageLabel, coverageOptions } from './coverage';

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
				answer: { value: 1, comment: '', evidence: [], version: 1 },
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

describe('a criterion’s comment and evidence fields', () => {
	const answer = (comment: string, evidence: string[]) => ({
		value: 1,
		comment,
		evidence,
		version: 1
	});
	const criterion = (a: ReturnType<typeof answer>) => ({
		id: 'build.sca.1',
		text: 'Dependencies are scanned on every build.',
		answer: a,
		previous: null,
		pipeline: null
	});

	it('are not made while both are empty: a button asks for them, saving the phase without JavaScript', () => {
		const body = row({ criterion: criterion(answer('', [])) });
		expect(body).not.toContain('<textarea');
		expect(body).toMatch(
			/<button[^>]*type="submit"[^>]*name="notes"[^>]*value="build.sca.1"[^>]*formaction="\?\/savePhase#criterion-build.sca.1"[^>]*>Add a comment or evidence<\/button>/
		);
	});

	it('show a comment or evidence there is, open', () => {
		for (const a of [answer('Checked in CI.', []), answer('', ['https://ci.example.com/run/1'])]) {
			const body = row({ criterion: criterion(a) });
			expect(body).toContain('<details open');
			expect(body).toContain('name="comment:build.sca.1"');
			expect(body).toContain('name="evidence:build.sca.1"');
			expect(body).not.toContain('Add a comment or evidence');
		}
	});

	it('show empty fields when they were asked for', () => {
		const body = row({ criterion: criterion(answer('', [])), notesOpen: true });
		expect(body).toContain('name="comment:build.sca.1"');
	});

	it('offer nothing to someone who cannot edit, unless there is something to read', () => {
		expect(row({ criterion: criterion(answer('', [])), editable: false })).not.toMatch(
			/textarea|Add a comment/
		);
		expect(row({ criterion: criterion(answer('Read me.', [])), editable: false })).toContain(
			'Read me.'
		);
	});
});

describe('a criterion’s choices', () => {
	// Written out in CriterionRow (no loop per row): they must stay those of coverage.ts.
	it('are the four of the scale, in order, with the stored answer checked', () => {
		const body = row({});
		const choices = [
			...body.matchAll(
				/<input type="radio" name="value:build.sca.1" value="([^"]*)"([^>]*)\/> ([^<]*)<\/label>/g
			)
		].map(([, value, rest, label]) => ({ value, label, checked: rest!.includes('checked') }));
		expect(choices).toEqual(
			coverageOptions.map((o) => ({ value: o.value, label: o.label, checked: o.value === '1' }))
		);
		expect(coverageLabel(0.25)).toBe('Some teams or repos');
	});
});

describe('what a criterion sends back for the whole-phase save', () => {
	it('writes the answer as shown, for the save to tell what changed, and its version', () => {
		const body = row({
			criterion: {
				id: 'build.sca.1',
				text: 'Dependencies are scanned on every build.',
				answer: { value: 0.5, comment: 'Only "main"', evidence: ['https://ci/1'], version: 3 },
				previous: null
			}
		});
		// The save compares it with answerFingerprint of what comes back (+page.server.ts).
		const shown = JSON.stringify([0.5, 'Only "main"', ['https://ci/1']]).replaceAll('"', '&quot;');
		expect(body).toContain(`name="fingerprint:build.sca.1" value="${shown}"`);
		expect(body).toContain('name="baseVersion:build.sca.1" value="3"');
	});
});
