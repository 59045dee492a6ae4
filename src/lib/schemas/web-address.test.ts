import { describe, expect, it } from 'vitest';
import { linkHost } from '$lib/link-host';
import { answerSchema } from './assessment';
import { parseForm } from './parse';
import { toolSchema } from './tools';
import { webAddress, webAddressProblem } from './web-address';

const CREDENTIALS = /Remove the part before @/;
const BACKSLASH = /Remove the backslash/;
const HOST = /named site/;

describe('webAddressProblem', () => {
	it.each([
		'https://github.com/acme/payments/pull/42',
		'http://wiki.intranet.example/pages/SEC-1',
		'https://ci.example.com:8443/job/build?x=1#log',
		'HTTPS://Example.COM/Path',
		'https://xn--bcher-kva.example/',
		'https://bücher.example/katalog',
		'https://10.0.0.12/grafana',
		'https://[2001:db8::1]/dash',
		'https://jira/browse/SEC-1',
		'https://example.com/search?q=a%20b&at=x@y'
	])('accepts %s', (link) => {
		expect(webAddressProblem(link, 'http-or-https')).toBeNull();
	});

	it.each([
		['https://u:p@evil.example/', CREDENTIALS],
		['https://user@evil.example/', CREDENTIALS],
		['https://:pass@evil.example/', CREDENTIALS],
		['https://@evil.example/', CREDENTIALS],
		['https://good.example@evil.example/', CREDENTIALS],
		['https://good.example:443@evil.example/', CREDENTIALS],
		['https://good.example%2F@evil.example/', CREDENTIALS],
		['http://evil.example\\@good.example', BACKSLASH],
		['https://evil.example\\good.example/', BACKSLASH],
		['https://good.example/\\\\evil.example', BACKSLASH],
		['https:\\\\evil.example', BACKSLASH],
		['javascript:alert(1)', /https:\/\/ or http:\/\//],
		['data:text/html,<script>', /https:\/\/ or http:\/\//],
		['ftp://files.example/', /https:\/\/ or http:\/\//],
		['https:evil.example', /https:\/\/ or http:\/\//],
		['//evil.example/', /https:\/\/ or http:\/\//],
		['https:/evil.example', /https:\/\/ or http:\/\//],
		['https://', /whole web address/],
		['https://exa mple.com/', /spaces/],
		['https://example.com/a b', /spaces/],
		['https://localhost/', HOST],
		['https://.example/', HOST],
		['https://a..example/', HOST],
		['https://example.com./', HOST],
		['https://-evil.example/', HOST],
		['https://0x7f000001/', HOST],
		['https://2130706433/', HOST],
		['https://1.2.3/', HOST],
		['https://example.c0m/', HOST],
		['https://evil.example/\u202etxt.exe', /text-direction character U\+202E/],
		['https://evil\u2066.example/', /text-direction character U\+2066/],
		['https://evil.example/\u0000', /NUL/],
		['https://evil.example/\u0085', /control character U\+0085/],
		['https://evil.example/\ufffd', /replacement character/],
		['https://evil.example/\nhttps://good.example', /one line/]
	])('refuses %j', (link, message) => {
		expect(webAddressProblem(link, 'http-or-https')).toMatch(message);
	});

	it('takes only https:// for a homepage, on a public name', () => {
		expect(webAddressProblem('http://example.com/', 'https')).toBe('Enter an https:// address.');
		expect(webAddressProblem('https://intranet/', 'https')).toMatch(HOST);
		expect(webAddressProblem('https://example.com/', 'https')).toBeNull();
		expect(webAddressProblem('https://u:p@example.com/', 'https')).toMatch(CREDENTIALS);
	});

	it('is what the zod rule applies, after trimming, with a length limit', () => {
		const rule = webAddress('https');
		expect(rule.safeParse('  https://example.com/ ').data).toBe('https://example.com/');
		expect(rule.safeParse(`https://example.com/${'a'.repeat(500)}`).error?.issues[0]?.message).toBe(
			'Use at most 500 characters.'
		);
		expect(rule.safeParse('https://user@evil.example/').error?.issues[0]?.message).toMatch(
			CREDENTIALS
		);
	});
});

describe('linkHost', () => {
	it('shows where a link really goes, look-alike letters in punycode', () => {
		expect(linkHost('https://github.com/acme')).toBe('github.com');
		expect(linkHost('https://u:p@evil.example/')).toBe('evil.example');
		expect(linkHost('http://evil.example\\@good.example')).toBe('evil.example');
		// A Cyrillic "а" in "аpple.com".
		expect(linkHost('https://\u0430pple.com/')).toBe('xn--pple-43d.com');
		expect(linkHost('https://a\uff0eb.example/')).toBe('a.b.example');
		expect(linkHost('javascript:alert(1)')).toBeNull();
		expect(linkHost('not a link')).toBeNull();
	});
});

describe('the forms that take links', () => {
	const form = (entries: Record<string, string>) => {
		const f = new FormData();
		for (const [k, v] of Object.entries(entries)) f.append(k, v);
		return f;
	};
	const answer = (evidence: string) =>
		parseForm(
			answerSchema,
			form({ criterionId: 'c1', value: '1', comment: '', evidence, baseVersion: '0' })
		);

	it('puts an evidence problem on the evidence field, saying which link', () => {
		const one = answer('https://user@evil.example/');
		expect(one).toMatchObject({
			ok: false,
			errors: { evidence: expect.stringMatching(CREDENTIALS) }
		});
		const second = answer('https://good.example/\r\nhttp://evil.example\\@good.example');
		expect(second).toMatchObject({
			ok: false,
			errors: { evidence: expect.stringMatching(/^Link 2: Remove the backslash/) }
		});
		expect(answer('https://a.example/x\nhttps://b.example/y')).toMatchObject({
			ok: true,
			data: { evidence: ['https://a.example/x', 'https://b.example/y'] }
		});
	});

	it('puts a homepage problem on the homepage field', () => {
		const tool = (homepage: string) =>
			parseForm(
				toolSchema,
				form({
					id: 'in-house',
					name: 'In-house',
					categoryId: 'sast',
					homepage,
					licence: 'commercial',
					description: ''
				})
			);
		expect(tool('https://scanner.example.com/')).toMatchObject({ ok: true });
		for (const [homepage, message] of [
			['https://u:p@evil.example/', CREDENTIALS],
			['https://user@evil.example/', CREDENTIALS],
			['http://evil.example\\@good.example', BACKSLASH],
			['http://scanner.example.com/', /https:\/\//]
		] as const) {
			expect(tool(homepage), homepage).toMatchObject({
				ok: false,
				errors: { homepage: expect.stringMatching(message) }
			});
		}
	});
});
