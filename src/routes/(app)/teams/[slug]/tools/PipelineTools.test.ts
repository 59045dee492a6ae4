import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import PipelineTools from './PipelineTools.svelte';

/** The words a person reads: tags and Svelte's markers gone, spaces as shown. */
const text = (html: string) =>
	html
		.replace(/<!--[^>]*-->/g, '')
		.replace(/<[^>]+>/g, '')
		.replace(/\s+/g, ' ')
		.trim();

describe('what the pipelines show, for scanner names no tool claims', () => {
	const evidence = { maxAgeDays: 30, tools: [], unmapped: ['In-house SAST', 'platform-iac-scan'] };
	const shown = (canMapScanners: boolean) =>
		render(PipelineTools, { props: { evidence, editable: true, canMapScanners } }).body;

	it('names them, and tells an admin where to map them, spaced as a sentence', () => {
		const html = shown(true);
		expect(text(html)).toContain(
			'Also uploaded, by scanners no catalogue tool claims yet: In-house SAST, platform-iac-scan. Their scans count for no tool until you map the name on Scanner names.'
		);
		expect(html).toContain('href="/admin/tools/scanners"');
	});

	it('gives others no link to a page they cannot open', () => {
		const html = shown(false);
		expect(text(html)).toContain('until an admin maps the name.');
		expect(html).not.toContain('/admin/tools/scanners');
	});

	it('shows nothing for a team whose pipelines show nothing', () => {
		const html = render(PipelineTools, {
			props: { evidence: { maxAgeDays: 30, tools: [], unmapped: [] }, editable: true }
		}).body;
		expect(text(html)).toBe('');
	});
});
