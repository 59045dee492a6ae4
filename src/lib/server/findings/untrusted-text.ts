/**
 * Text from an uploaded scan file, made safe to store and show: no control characters (a
 * database text column refuses NUL, a log line breaks on a newline), no text-direction
 * overrides (they make code read differently from how it is stored), no half of a surrogate
 * pair, and a cap on length. Shared by the SARIF and CycloneDX readers.
 */

/** Caps, in UTF-16 code units, on what a reader keeps of each untrusted string. */
export const limits = {
	message: 4_000,
	help: 20_000,
	ruleId: 500,
	ruleName: 500,
	path: 2_000,
	toolName: 200,
	toolVersion: 100,
	suppressionKind: 50,
	justification: 1_000,
	/** A line number above this is not a line of a real file. */
	line: 1_000_000_000
} as const;

// Ordinary text costs one regex test; only text holding a suspect character is walked.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

function strip(text: string, multiline: boolean): string {
	if (!SUSPECT.test(text)) return text;
	let out = '';
	// for…of walks code points: a paired surrogate arrives whole, a lone one on its own.
	for (const ch of text.replace(/\r\n?/g, '\n')) {
		const c = ch.codePointAt(0)!;
		if (c === 0x0a || c === 0x2028 || c === 0x2029) out += multiline ? '\n' : ' ';
		else if (c === 0x09) out += multiline ? '\t' : ' ';
		else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) continue;
		else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) continue;
		else if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
		else out += ch;
	}
	return out;
}

function cap(text: string, max: number): string {
	if (text.length <= max) return text;
	let end = max - 1;
	// Never cut a surrogate pair in half.
	const last = text.charCodeAt(end - 1);
	if (last >= 0xd800 && last <= 0xdbff) end -= 1;
	return `${text.slice(0, end)}…`;
}

/** One line of untrusted text (an id, a name, a path), cleaned, trimmed and capped; null if none is left. */
export function cleanLine(value: unknown, max: number): string | null {
	if (typeof value !== 'string') return null;
	// Cap before the walk too, so a 50 MB "name" costs no more than a long one.
	const text = strip(value.length > max * 2 ? value.slice(0, max * 2) : value, false).trim();
	return text ? cap(text, max) : null;
}

/** Untrusted text that may hold tabs and line breaks (a message, help), cleaned and capped; null if empty. */
export function cleanText(value: unknown, max: number): string | null {
	if (typeof value !== 'string') return null;
	const text = strip(value.length > max * 2 ? value.slice(0, max * 2) : value, true).trim();
	return text ? cap(text, max) : null;
}

/** A 1-based line number, or null for anything else (non-integers, 0, negatives, absurd ones). */
export function lineNumber(value: unknown): number | null {
	return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= limits.line
		? value
		: null;
}

/** The value if it is a plain (non-array) object, else null. */
export function record(value: unknown): Record<string, unknown> | null {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: null;
}

/** The value if it is an array, else an empty one. */
export function list(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

/**
 * `object[key]` only when the object itself holds the key: a key from the log ("__proto__",
 * "constructor", "toString") never reaches Object.prototype.
 */
export function own(object: unknown, key: string): unknown {
	const o = record(object);
	return o && Object.hasOwn(o, key) ? o[key] : undefined;
}
