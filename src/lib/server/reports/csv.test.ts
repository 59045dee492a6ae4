import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv';

describe('csvField', () => {
	it('leaves plain text alone', () => {
		expect(csvField('Payments API')).toBe('Payments API');
		expect(csvField('Chloé (Checkout Web lead)')).toBe('Chloé (Checkout Web lead)');
	});

	it.each([
		['a,b', '"a,b"'],
		['say "hi"', '"say ""hi"""'],
		['two\nlines', '"two\nlines"'],
		['two\r\nlines', '"two\r\nlines"'],
		['"', '""""']
	])('quotes %j as RFC 4180 asks', (input, expected) => {
		expect(csvField(input)).toBe(expected);
	});

	it.each([
		['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
		['+1+1', "'+1+1"],
		['-2+3', "'-2+3"],
		['@SUM(A1)', "'@SUM(A1)"],
		['\t=1', "'\t=1"],
		['\r=1', `"'\r=1"`],
		['=1,2', `"'=1,2"`]
	])('defuses the formula in %j', (input, expected) => {
		expect(csvField(input)).toBe(expected);
	});

	it('does not defuse characters that only appear later in the text', () => {
		expect(csvField('a=b')).toBe('a=b');
		expect(csvField('x-y@z')).toBe('x-y@z');
		expect(csvField('Team = Payments')).toBe('Team = Payments');
		expect(csvField('2026-11-23')).toBe('2026-11-23');
	});

	// What an attacker types as a team name, a comment or a tool note, to run in a reader's spreadsheet.
	const signs = [
		'=',
		'+',
		'-',
		'@',
		'\uff1d',
		'\uff0b',
		'\uff0d',
		'\uff20',
		'\ufe66',
		'\ufe62',
		'\ufe63',
		'\ufe6b'
	];
	const leading = [
		'',
		' ',
		'   ',
		'\t',
		'\r',
		'\n',
		'\r\n',
		'\u00a0',
		'\u2002',
		'\u2003',
		'\u2009',
		'\u200a',
		'\u202f',
		'\u205f',
		'\u3000',
		'\u1680',
		'\u2028',
		'\u2029',
		'\ufeff',
		'\u200b',
		'\u200d',
		'\u2060',
		'\u000b',
		'\u000c',
		'\u0000',
		'\u0085',
		'\u202e',
		' \t\u00a0\n'
	];
	it.each(signs.flatMap((sign) => leading.map((before) => [before, sign] as const)))(
		'defuses %j before %j',
		(before, sign) => {
			const cell = `${before}${sign}HYPERLINK("http://evil.example","x")`;
			const out = csvField(cell);
			const unquoted = out.startsWith('"') ? out.slice(1, -1).replace(/""/g, '"') : out;
			expect(unquoted).toBe(`'${cell}`);
		}
	);

	it('leaves ordinary text, numbers and dates as they are', () => {
		for (const text of [
			'Payments API',
			' Payments',
			'\u00a0Chloé',
			'Überweisung',
			'李小龍',
			'1 000',
			'4.00',
			'2026-Q4',
			'50%',
			'(none)',
			"'quoted",
			'#1 team'
		]) {
			expect(csvField(text), text).toBe(text);
		}
		expect(csvField(-3)).toBe('-3');
		expect(csvField(-0.25)).toBe('-0.25');
		expect(csvField(-1e21)).toBe('-1e+21');
		expect(csvField(new Date('2026-01-05T00:00:00Z'))).toBe('2026-01-05T00:00:00.000Z');
		expect(toCsv([['Team', -2, new Date('2026-01-05T00:00:00Z')]])).toBe(
			'Team,-2,2026-01-05T00:00:00.000Z\r\n'
		);
	});

	it('writes numbers, booleans, dates and empty values as values', () => {
		expect(csvField(-3)).toBe('-3');
		expect(csvField(0.25)).toBe('0.25');
		expect(csvField(Number.NaN)).toBe('');
		expect(csvField(true)).toBe('true');
		expect(csvField(new Date('2026-11-23T08:00:00Z'))).toBe('2026-11-23T08:00:00.000Z');
		expect(csvField(null)).toBe('');
		expect(csvField(undefined)).toBe('');
	});
});

describe('toCsv', () => {
	it('joins fields with commas and ends every record with CRLF', () => {
		expect(
			toCsv([
				['team', 'score'],
				['One, Two', 2],
				['=cmd', null]
			])
		).toBe('team,score\r\n"One, Two",2\r\n\'=cmd,\r\n');
	});

	it('writes nothing for no rows', () => {
		expect(toCsv([])).toBe('');
	});
});
