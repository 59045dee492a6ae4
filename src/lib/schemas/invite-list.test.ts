import { describe, expect, it } from 'vitest';
import { MAX_INVITE_LINES, parseInviteList } from './invite-list';

describe('a pasted list of invitations', () => {
	it('reads "email role", "email, role", tabs and semicolons; no role means member', () => {
		const text = [
			'ada@example.com member',
			'  Bo@Example.com ,  Security ',
			'',
			'cy@example.com\tleadership',
			'dee@example.com;admin',
			'eve@example.com'
		].join('\r\n');
		expect(parseInviteList(text)).toEqual({
			ok: true,
			people: [
				{ line: 1, email: 'ada@example.com', role: 'member' },
				{ line: 2, email: 'bo@example.com', role: 'security' },
				{ line: 4, email: 'cy@example.com', role: 'leadership' },
				{ line: 5, email: 'dee@example.com', role: 'admin' },
				{ line: 6, email: 'eve@example.com', role: 'member' }
			]
		});
	});

	it('reports every bad line by its number, blank lines counted', () => {
		const text = [
			'ada@example.com member',
			'not-an-address member',
			'',
			'bo@example.com boss',
			'cy@example.com member extra',
			'ADA@example.com security',
			'dee@exa\u0007mple.com member',
			'eve@example.com member\u202e'
		].join('\n');
		const result = parseInviteList(text);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems.map((p) => p.line)).toEqual([2, 4, 5, 6, 7, 8]);
		expect(result.problems[0]!.message).toMatch(/valid email address/);
		expect(result.problems[1]!.message).toBe(
			'“boss” is not a role: use member, security, leadership or admin.'
		);
		expect(result.problems[2]!.message).toMatch(/an address and a role/);
		expect(result.problems[3]!.message).toBe('ada@example.com is already on line 1.');
		expect(result.problems[4]!.message).toMatch(/control character/);
		// A role holding a direction override is not echoed.
		expect(result.problems[5]!.message).toBe(
			'That is not a role: use member, security, leadership or admin.'
		);
	});

	it('refuses an empty list and one longer than a paste should be', () => {
		expect(parseInviteList(' \n\n ')).toEqual({
			ok: false,
			problems: [{ line: 0, message: 'Paste at least one address, one person a line.' }]
		});
		const many = Array.from({ length: MAX_INVITE_LINES + 1 }, (_, i) => `p${i}@example.com`);
		const result = parseInviteList(many.join('\n'));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problems[0]!.message).toMatch(/At most 200 people/);
		expect(parseInviteList('x'.repeat(100_000)).ok).toBe(false);
	});
});
