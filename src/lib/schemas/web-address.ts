import { z } from 'zod';
import { textProblem } from './text';

/** Which schemes a field takes: evidence may be an intranet http:// page, a tool's homepage is https://. */
export type WebScheme = 'http-or-https' | 'https';

export const WEB_ADDRESS_MAX = 500;

const SCHEME = { 'http-or-https': /^https?:\/\//i, https: /^https:\/\//i } as const;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * A host a person can read and trust: a domain name ending in a real top-level name, or an IP
 * address written out as the browser will use it (not `0x7f.1`). Evidence may also name an
 * intranet host by one label (`https://jira/browse/SEC-1`), as many companies' tools are reached.
 */
function isRealHost(hostname: string, written: string, scheme: WebScheme): boolean {
	if (hostname.startsWith('[')) return true;
	const labels = hostname.split('.');
	// A host ending in a number is an IPv4 address to the URL parser, which rewrites it.
	if (/^\d+$/.test(labels.at(-1)!)) return written === hostname;
	if (!labels.every((l) => LABEL.test(l))) return false;
	if (labels.length === 1) return scheme === 'http-or-https' && hostname !== 'localhost';
	return TOP_LEVEL.test(labels.at(-1)!);
}

/** Why `link` is not an acceptable web address, in words for the person who typed it; null if it is. */
export function webAddressProblem(link: string, scheme: WebScheme): string | null {
	const text = textProblem(link, 'name');
	if (text) return text;
	if (link.includes('\\'))
		return 'Remove the backslash (\\): browsers read it as /, so the link would go somewhere other than it shows.';
	if (/\s/.test(link)) return 'Remove the spaces: a web address has none.';
	if (!SCHEME[scheme].test(link))
		return scheme === 'https'
			? 'Enter an https:// address.'
			: 'Start the link with https:// or http://.';
	if (!URL.canParse(link)) return 'Enter a whole web address, like https://example.com/page.';
	const afterScheme = link.slice(link.indexOf('//') + 2);
	const authority = afterScheme.split(/[/?#]/, 1)[0]!;
	// Checked on the text as typed: `https://@evil.example` parses to no user name at all.
	if (authority.includes('@'))
		return 'Remove the part before @: a link may not carry a user name or password, and it hides where the link goes.';
	const written = authority.replace(/:\d*$/, '').toLowerCase();
	if (!isRealHost(new URL(link).hostname, written, scheme))
		return 'Use the address of a named site, like https://wiki.example.com/page.';
	return null;
}

/** A web address field: trimmed, at most 500 characters, checked by the shared rule. */
export function webAddress(scheme: WebScheme) {
	return z
		.string({ error: 'Enter a web address.' })
		.trim()
		.max(WEB_ADDRESS_MAX, `Use at most ${WEB_ADDRESS_MAX} characters.`)
		.superRefine((link, ctx) => {
			const problem = webAddressProblem(link, scheme);
			if (problem) ctx.addIssue({ code: 'custom', message: problem, input: link });
		});
}
