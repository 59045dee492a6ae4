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
		expect(csvField(' =1')).toBe(' =1');
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
