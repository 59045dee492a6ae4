import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import CriterionReview from './CriterionReview.svelte';

// What the reviewer reads for one criterion: then → now, who, the evidence with the host each
// link really goes to (also for links that went), and the thread, all as text.
describe('a criterion in the review workspace', () => {
	const html = (threads: never[] = [], canAsk = false) =>
		render(CriterionReview, {
			props: {
				criterion: {
					id: 'sast.1.a',
					text: 'SAST runs on every pull request',
					level: 1,
					before: { value: 0.5, comment: '', evidence: ['https://wiki.example/old'] },
					now: {
						value: 1,
						comment: '<b>done</b>',
						evidence: [
							'https://user@evil.example/x',
							'https://\u0430pple.com/sec',
							'javascript:alert(1)'
						],
						updatedBy: 'Ben'
					},
					changes: ['value', 'comment', 'evidence'],
					removedEvidence: ['https://wiki.example/old']
				},
				threads,
				canAsk,
				canWithdraw: false
			}
		}).body.replace(/<!--[^>]*-->/g, '');
	/** The text a reader sees, spaces collapsed. */
	const text = (html: string) =>
		html
			.replace(/<[^>]*>/g, '')
			.replace(/\s+/g, ' ')
			.trim();

	it('shows then → now, who changed it, and every link with its real host; a non-link is no link', () => {
		const body = html();
		expect(text(body)).toContain('Most → All changed: answer, comment, evidence by Ben');
		const hosts = [
			...body.matchAll(/<a href="([^"]*)"[^>]*>[^<]*<\/a>\s*<span class="host[^"]*">\(([^)]*)\)/g)
		].map(([, href, host]) => [href, host]);
		expect(hosts).toEqual([
			['https://user@evil.example/x', 'evil.example'],
			['https://\u0430pple.com/sec', 'xn--pple-43d.com'],
			['https://wiki.example/old', 'wiki.example']
		]);
		expect(body).not.toContain('href="javascript:');
		expect(body).toContain('(not a web address)');
		expect(body).toContain('Comment: &lt;b>done&lt;/b>');
	});

	it('escapes the thread and offers a question form only when asking is possible', () => {
		const thread = {
			id: '00000000-0000-4000-8000-000000000001',
			criterionId: 'sast.1.a',
			status: 'open',
			askedAt: new Date('2026-12-18T10:00:00Z'),
			messages: [
				{
					id: 'm1',
					author: 'Sam <Security>',
					fromTeam: false,
					body: '<script>alert(1)</script>',
					at: new Date('2026-12-18T10:00:00Z')
				}
			]
		};
		const body = html([thread as never]);
		expect(body).toContain('&lt;script>alert(1)&lt;/script>');
		expect(body).toContain('Sam &lt;Security>');
		expect(body).toContain('Open: waiting for the team');
		expect(body).not.toContain('Ask the team about this criterion');
		expect(html([], true)).toContain('Ask the team about this criterion');
	});

	it('asks about this criterion by the button, and ties a refused question’s problem to its field', () => {
		const form = html([], true);
		expect(form).toMatch(/<button name="criterionId" value="sast.1.a">Ask<\/button>/);
		expect(form).toMatch(/<label>Your question <textarea name="body"/);
		const refused = render(CriterionReview, {
			props: {
				criterion: {
					id: 'sast.1.a',
					text: 'SAST runs on every pull request',
					level: 1,
					before: null,
					now: { value: 1, comment: '', evidence: [], updatedBy: null },
					changes: [],
					removedEvidence: []
				},
				threads: [],
				canAsk: true,
				canWithdraw: false,
				forms: {
					query: '',
					result: {
						action: 'ask',
						target: 'sast.1.a',
						errors: { body: 'Write your question.' },
						values: { body: '' }
					}
				}
			} as never
		}).body;
		expect(refused).toContain('<details open');
		expect(refused).toMatch(
			/<textarea id="ask-sast.1.a" name="body"[^>]*aria-invalid="true" aria-describedby="ask-sast.1.a-error"/
		);
		expect(refused).toContain('<p class="error" id="ask-sast.1.a-error">Write your question.</p>');
	});
});
