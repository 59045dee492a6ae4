import { describe, expect, it } from 'vitest';
import {
	contradictionSentence,
	daysAgo,
	factsSentence,
	lastRanSentence,
	missingList,
	type ShownFacts
} from './words';

const facts = (over: Partial<ShownFacts> = {}): ShownFacts => ({
	tools: ['Grype'],
	covered: 3,
	repositories: 4,
	missing: ['payments/infra'],
	categories: ['Software composition analysis (SCA)', 'Container image scanning'],
	branch: 'any',
	maxAgeDays: 30,
	...over
});

describe('the facts in words', () => {
	it('says which tools ran on how many repositories, when and on which refs', () => {
		expect(factsSentence(facts())).toBe('Grype ran on 3 of 4 repositories in the last 30 days');
		expect(
			factsSentence(facts({ tools: ['Grype', 'Trivy', 'Snyk'], branch: 'pull-requests' }))
		).toBe('Grype, Trivy and Snyk ran on 3 of 4 repositories in the last 30 days on pull requests');
		expect(
			factsSentence(facts({ covered: 1, repositories: 1, branch: 'default', maxAgeDays: 1 }))
		).toBe('Grype ran on 1 of 1 repository in the last day on the default branch');
	});

	it('names the categories that count when nothing ran', () => {
		expect(factsSentence(facts({ tools: [], covered: 0 }))).toBe(
			'No Software composition analysis (SCA) or Container image scanning tool ran on any of the 4 repositories in the last 30 days'
		);
	});

	it('says why an answer is contradicted', () => {
		expect(contradictionSentence(1, facts())).toBe(
			'the answer is “All”, but only 3 of 4 repositories had a qualifying run'
		);
		expect(contradictionSentence(0.5, facts({ covered: 1 }))).toBe(
			'the answer is “Most”, but fewer than half the repositories had a qualifying run (1 of 4)'
		);
		expect(contradictionSentence(0.5, facts({ covered: 0, tools: [] }))).toBe(
			'the answer is “Most”, but no repository had a qualifying run'
		);
	});

	it('lists the first few repositories without a run', () => {
		expect(missingList(['a', 'b'])).toBe('a, b');
		expect(missingList(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e and 2 more');
	});
});

describe('a tool’s last run in words', () => {
	it('says when, where and on which branch', () => {
		expect(lastRanSentence({ daysAgo: 2, repository: 'payments/api', ref: 'main' })).toBe(
			'last ran in a pipeline 2 days ago (payments/api, main)'
		);
		expect(daysAgo(0)).toBe('today');
		expect(daysAgo(1)).toBe('yesterday');
	});
});
