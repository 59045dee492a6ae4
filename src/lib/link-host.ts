/**
 * The host a link really goes to, as a browser reads it: user info dropped, a backslash read as
 * a slash, look-alike letters in punycode (`xn--pple-43d.com` for a Cyrillic "аpple.com").
 * Null when it is not an absolute web address.
 */
export function linkHost(link: string): string | null {
	try {
		const url = new URL(link);
		return url.protocol === 'https:' || url.protocol === 'http:' ? url.hostname : null;
	} catch {
		return null;
	}
}
