import type { z } from 'zod';

/**
 * What a free-text field is: a `name` (a person, team, org unit, tool, cycle) is one line and
 * shown on its own, so it may not hide its real spelling; a `line` is any other one-line text
 * (an email address, a filter); `multiline` text (comments, descriptions, reasons, notes) may
 * hold tabs and line breaks.
 */
export type TextKind = 'name' | 'line' | 'multiline';

// Every character any kind refuses, so that ordinary text costs one regex test.
const SUSPECT =
	// eslint-disable-next-line no-control-regex -- finding control characters is the point
	/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd\ud800-\udfff]/;

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
const isSurrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;

/** Why `text` may not be stored in a field of this kind, in words for the person who typed it; null if it may. */
export function textProblem(text: string, kind: TextKind): string | null {
	if (!SUSPECT.test(text)) return null;
	// for…of walks code points: a paired surrogate arrives whole, a lone one on its own.
	for (const ch of text) {
		const c = ch.codePointAt(0)!;
		if (c === 0) return 'Remove the NUL character (U+0000): text cannot hold it.';
		if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) {
			if (kind !== 'multiline') return 'Keep this to one line: remove the line break.';
		} else if (c === 0x09) {
			if (kind !== 'multiline') return 'Remove the tab character: this field is one line.';
		} else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
			return `Remove the invisible control character ${hex(c)}.`;
		} else if (ch.length === 1 && isSurrogate(c)) {
			return `Remove the broken character ${hex(c)} (half of a character pair): it is not valid text.`;
		} else if (kind === 'name' && ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))) {
			return `Remove the text-direction character ${hex(c)}: it makes the text read differently from how it is stored.`;
		} else if (kind === 'name' && c === 0xfffd) {
			return 'Remove the replacement character � (U+FFFD): it stands for text that could not be read.';
		}
	}
	return null;
}

/** The shared rule as a zod refinement: `z.string().trim().max(100).superRefine(freeText('name'))`. */
export function freeText(kind: TextKind) {
	return (value: string, ctx: z.RefinementCtx<string>) => {
		const problem = textProblem(value, kind);
		if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
	};
}
