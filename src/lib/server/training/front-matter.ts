import YAML from 'yaml';
import type { ProblemList } from '$lib/server/content/problems';

export interface FrontMatter {
	data: unknown;
	/** The markdown after the front matter. */
	body: string;
	/** The file's line number where the body starts (1-based), to place problems found in it. */
	bodyLine: number;
}

/** Unifies line endings and drops a byte-order mark, so line numbers match what an editor shows. */
export function normaliseText(text: string): string {
	return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * Parses YAML text; syntax errors become problems naming the line (shifted by `lineOffset` when
 * the YAML sits inside a larger file). Returns undefined when the text does not parse.
 */
export function parseYaml(
	text: string,
	file: string,
	problems: ProblemList,
	lineOffset = 0
): unknown {
	const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
	if (doc.errors.length) {
		for (const e of doc.errors) {
			const line = e.linePos ? `line ${e.linePos[0].line + lineOffset}` : '';
			problems.add(file, line, e.message.split('\n')[0]!);
		}
		return undefined;
	}
	return doc.toJS();
}

/** Splits `---` YAML `---` front matter from a markdown file; every way it can be broken is a problem. */
export function splitFrontMatter(
	raw: string,
	file: string,
	problems: ProblemList
): FrontMatter | null {
	const lines = normaliseText(raw).split('\n');
	if (lines[0]?.trim() !== '---') {
		problems.add(file, 'line 1', 'must start with front matter: a line "---", YAML, then "---"');
		return null;
	}
	const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
	if (end === -1) {
		problems.add(file, 'line 1', 'the front matter is not closed with a line "---"');
		return null;
	}
	const data = parseYaml(lines.slice(1, end).join('\n'), file, problems, 1);
	if (data === undefined) return null;
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		problems.add(file, 'front matter', 'must be a YAML mapping of fields, like "title: …"');
		return null;
	}
	return { data, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 };
}
