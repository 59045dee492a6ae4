import type { Handle } from '@sveltejs/kit';

// Anything but a printable ASCII character or the escape of one. Almost every request has none,
// so this one test is all it costs; the rest look closer.
const SUSPECT = /%(?![2-6][0-9a-f]|7[0-9a-e])|[^\x21-\x7e]/i;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Whether percent-encoded text decodes (valid escapes, valid UTF-8) to text without control characters. */
function readable(encoded: string): boolean {
	try {
		return !CONTROL.test(decodeURIComponent(encoded));
	} catch {
		return false;
	}
}

/**
 * The answer for an address holding a NUL or other control character, or percent-encoding that
 * does not decode: 404 when it is in the path (no page has such a name), 400 when it is in the
 * query; null for every other address.
 */
export function refusedStatus(url: URL): 400 | 404 | null {
	if (!SUSPECT.test(url.href)) return null;
	if (!readable(url.pathname)) return 404;
	if (!readable(url.search.slice(1))) return 400;
	return null;
}

function refusal(status: 400 | 404): Response {
	const [title, text] =
		status === 404
			? ['Not found', 'There is no page at this address.']
			: [
					'Bad request',
					'The address holds a control character or percent-encoding that cannot be read.'
				];
	const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Rampart</title></head>
<body><main><h1>${title}</h1><p>${text}</p><p><a href="/">Go to Rampart’s start page</a></p></main></body></html>`;
	return new Response(body, {
		status,
		headers: {
			'Content-Type': 'text/html; charset=utf-8',
			'Cache-Control': 'no-store',
			'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'"
		}
	});
}

/** Answers an unreadable address before any route sees it (a NUL in a parameter would reach the database). */
export const handleRequestText: Handle = ({ event, resolve }) => {
	const status = refusedStatus(event.url);
	return status ? refusal(status) : resolve(event);
};
