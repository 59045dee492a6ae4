import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import AuditRow from './AuditRow.svelte';

const id = '11111111-1111-4111-8111-111111111111';
const gone = '33333333-3333-4333-8333-333333333333';

describe('an audit log row', () => {
	const html = (entry: Parameters<typeof AuditRow>[1]['entry']) =>
		render(AuditRow, { props: { entry } }).body.replace(/<!--[^>]*-->/g, '');
	const entry = {
		id: 1,
		at: new Date('2026-05-01T10:00:00Z'),
		action: 'rota.saved',
		ip: '127.0.0.1',
		actorName: 'Admin',
		targetType: 'user',
		target: { id, name: '<b>Bo</b> & Co' },
		team: { id: gone, name: null },
		detail: [
			{ label: 'members', value: { text: `<i>Ann</i>, ${gone}`, ids: `${id}, ${gone}` } },
			{ label: '', from: { text: 'draft' }, value: { text: 'submitted' } }
		]
	};

	it('shows names with their ids in a title, and an unknown id as it is', () => {
		const out = html(entry);
		expect(out).toContain(`<span title="${id}">&lt;b>Bo&lt;/b> &amp; Co</span>`);
		expect(out).toContain(`<span class="muted">${gone}</span>`);
		expect(out).toContain(`title="${id}, ${gone}"`);
		expect(out).toMatch(/draft\s*→\s*submitted/);
	});

	it('never renders a name as markup', () => {
		const out = html(entry);
		expect(out).not.toContain('<b>');
		expect(out).not.toContain('<i>');
	});
});
