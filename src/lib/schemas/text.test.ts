import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freeText, textProblem } from './text';

const kinds = ['name', 'line', 'multiline'] as const;
const chars = (from: number, to: number) =>
	Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));

describe('textProblem', () => {
	it('lets ordinary text through in every kind of field', () => {
		for (const kind of kinds) {
			for (const text of [
				'Payments API',
				'Chloé Ørsted-Müller',
				'李小龍',
				'שלום עולם',
				'مرحبا',
				'Team 🚀 rocket',
				'a\u00a0b',
				'O’Brien & Co <b>',
				''
			]) {
				expect(textProblem(text, kind), `${kind}: ${text}`).toBeNull();
			}
		}
	});

	it('refuses NUL everywhere and names it', () => {
		for (const kind of kinds) {
			expect(textProblem('Ada\u0000Lovelace', kind)).toMatch(/NUL character \(U\+0000\)/);
		}
	});

	it('refuses every other C0 and C1 control character and DEL, naming its code', () => {
		const controls = [
			...chars(0x01, 0x08),
			'\u000b',
			'\u000c',
			...chars(0x0e, 0x1f),
			'\u007f',
			...chars(0x80, 0x9f)
		];
		// C0 but NUL, tab, LF and CR (28), DEL, and C1 (32).
		expect(controls).toHaveLength(28 + 1 + 32);
		for (const kind of kinds) {
			for (const c of controls) {
				const code = c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
				expect(textProblem(`a${c}b`, kind), `${kind} U+${code}`).toBe(
					`Remove the invisible control character U+${code}.`
				);
			}
		}
	});

	it('allows tab and line breaks only in multi-line text', () => {
		for (const c of ['\n', '\r', '\r\n', '\u2028', '\u2029']) {
			expect(textProblem(`one${c}two`, 'multiline')).toBeNull();
			expect(textProblem(`one${c}two`, 'name')).toBe(
				'Keep this to one line: remove the line break.'
			);
			expect(textProblem(`one${c}two`, 'line')).toBe(
				'Keep this to one line: remove the line break.'
			);
		}
		expect(textProblem('one\ttwo', 'multiline')).toBeNull();
		expect(textProblem('one\ttwo', 'name')).toMatch(/tab character/);
		expect(textProblem('one\ttwo', 'line')).toMatch(/tab character/);
	});

	it('refuses bidirectional overrides and isolates in names', () => {
		for (const c of [...chars(0x202a, 0x202e), ...chars(0x2066, 0x2069)]) {
			const code = c.charCodeAt(0).toString(16).toUpperCase();
			expect(textProblem(`admin${c}txt.exe`, 'name')).toBe(
				`Remove the text-direction character U+${code}: it makes the text read differently from how it is stored.`
			);
		}
		// Right-to-left letters themselves are fine; only the invisible overrides are not.
		expect(textProblem('فريق الأمن', 'name')).toBeNull();
	});

	it('refuses the replacement character (invalid UTF-8 as it arrives) in names', () => {
		const fromBadBytes = new TextDecoder().decode(new Uint8Array([0x41, 0xff, 0x42]));
		expect(fromBadBytes).toBe('A\ufffdB');
		expect(textProblem(fromBadBytes, 'name')).toMatch(/replacement character � \(U\+FFFD\)/);
		expect(textProblem(fromBadBytes, 'multiline')).toBeNull();
	});

	it('refuses lone surrogates, high or low, and keeps paired ones', () => {
		for (const kind of kinds) {
			expect(textProblem('a\ud83db', kind)).toMatch(/broken character U\+D83D/);
			expect(textProblem('a\ude80b', kind)).toMatch(/broken character U\+DE80/);
			expect(textProblem('ends\ud83d', kind)).toMatch(/broken character/);
			expect(textProblem('a\ud83d\ude80b', kind)).toBeNull();
		}
	});

	it('names the first problem in the text', () => {
		expect(textProblem('a\u202e\u0000', 'name')).toMatch(/U\+202E/);
		expect(textProblem('a\u0000\u202e', 'name')).toMatch(/NUL/);
	});
});

describe('freeText', () => {
	const name = z.string().trim().min(1, 'Enter a name.').superRefine(freeText('name'));

	it('puts the message on the field and passes good text through', () => {
		expect(name.safeParse(' Ada ').data).toBe('Ada');
		const r = name.safeParse('Ada\u0000');
		expect(r.success).toBe(false);
		expect(r.error?.issues).toEqual([
			expect.objectContaining({ message: expect.stringMatching(/NUL/), path: [] })
		]);
	});

	it('checks the trimmed text: a trailing newline is trimmed, an inner one is refused', () => {
		expect(name.safeParse('Ada\n').success).toBe(true);
		expect(name.safeParse('Ada\nLovelace').success).toBe(false);
	});
});
