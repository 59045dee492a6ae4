/**
 * A deliberately tiny syntax highlighter for the code in our content.
 *
 * It only ever emits `<span class="tok-…">` around pieces of input that went through
 * `escapeHtml` first, so the output is safe whatever the code contains. It is not a parser:
 * a mis-coloured token is a cosmetic issue, never a security one.
 */

type TokenClass = 'comment' | 'string' | 'number' | 'keyword' | 'key' | 'variable';

/** Every regex is sticky (`y`), so it only matches at the position being scanned. */
interface Rule {
	cls: TokenClass;
	re: RegExp;
}

interface Grammar {
	rules: Rule[];
	keywords: ReadonlySet<string>;
	/** What counts as one word, so keywords never match inside identifiers. */
	word: RegExp;
	caseInsensitive?: boolean;
}

const words = (list: string) => new Set(list.split(/\s+/).filter(Boolean));

const WORD = /[A-Za-z_$][\w$]*/y;
const DASHED_WORD = /[A-Za-z_][\w-]*/y;

const NUMBER: Rule = {
	cls: 'number',
	// Loose on purpose: `0x1F`, `1_000`, `3.14`, `1e-3` (as `1e` then `-3`), `1.2.3`, `30s` all count.
	re: /\d[\w.]*\w|\d/y
};
const DQ_STRING: Rule = { cls: 'string', re: /"(?:[^"\\\n]|\\.)*"/y };
const SQ_STRING: Rule = { cls: 'string', re: /'(?:[^'\\\n]|\\.)*'/y };
const BACKTICK_STRING: Rule = { cls: 'string', re: /`(?:[^`\\]|\\[\s\S])*`/y };
// `#` starts a comment only at the start of a line or after blanks (`$#`, `a#b` are not comments).
const HASH_COMMENT: Rule = { cls: 'comment', re: /(?<=^|[ \t;])#.*/my };
const ANY_HASH_COMMENT: Rule = { cls: 'comment', re: /#.*/y };
const SLASH_COMMENT: Rule = { cls: 'comment', re: /\/\/.*/y };
const BLOCK_COMMENT: Rule = { cls: 'comment', re: /\/\*[\s\S]*?(?:\*\/|$)/y };
const SHELL_VARIABLE: Rule = {
	cls: 'variable',
	re: /\$(?:\{[^}\n]*\}|[A-Za-z_]\w*|[0-9#?@*$!-])/y
};

const javascript: Grammar = {
	rules: [SLASH_COMMENT, BLOCK_COMMENT, DQ_STRING, SQ_STRING, BACKTICK_STRING, NUMBER],
	keywords: words(`
		as async await break case catch class const continue debugger declare default delete do
		else enum export extends false finally for from function get if implements import in
		instanceof interface let new null of private protected public readonly return satisfies set
		static super switch this throw true try type typeof undefined var void while with yield`),
	word: WORD
};

const python: Grammar = {
	rules: [
		ANY_HASH_COMMENT,
		{ cls: 'string', re: /[rbfuRBFU]{0,2}(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$))/y },
		{ cls: 'string', re: /[rbfuRBFU]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/y },
		NUMBER
	],
	keywords: words(`
		False None True and as assert async await break case class continue def del elif else
		except finally for from global if import in is lambda match nonlocal not or pass raise
		return self try while with yield`),
	word: WORD
};

const bash: Grammar = {
	rules: [
		HASH_COMMENT,
		DQ_STRING,
		// Only at a word start, so the apostrophe in `don't` does not open a string.
		{ cls: 'string', re: /(?<=^|[\s=(|;&<>$])'[^'\n]*'/my },
		SHELL_VARIABLE,
		NUMBER
	],
	keywords: words(`
		case do done elif else esac exit export fi for function if in local readonly return select
		set then unset until while`),
	word: DASHED_WORD
};

const yaml: Grammar = {
	rules: [
		HASH_COMMENT,
		{ cls: 'key', re: /(?<=^[ \t]*-?[ \t]*)[\w./$-]+(?=[ \t]*:(?:[ \t]|$))/my },
		{ cls: 'string', re: /(?<=^|[\s,[{:])"(?:[^"\\\n]|\\.)*"/my },
		{ cls: 'string', re: /(?<=^|[\s,[{:])'(?:[^'\n]|'')*'/my },
		NUMBER
	],
	keywords: words('true false null yes no True False Null TRUE FALSE NULL'),
	word: DASHED_WORD
};

const json: Grammar = {
	rules: [
		SLASH_COMMENT,
		BLOCK_COMMENT,
		{ cls: 'key', re: /"(?:[^"\\\n]|\\.)*"(?=\s*:)/y },
		DQ_STRING,
		NUMBER
	],
	keywords: words('true false null'),
	word: WORD
};

const hcl: Grammar = {
	rules: [
		HASH_COMMENT,
		SLASH_COMMENT,
		BLOCK_COMMENT,
		{ cls: 'string', re: /<<-?([A-Za-z_]\w*)\n[\s\S]*?^[ \t]*\1$/my },
		{ cls: 'key', re: /(?<=^[ \t]*)[\w-]+(?=[ \t]*=(?!=))/my },
		DQ_STRING,
		NUMBER
	],
	keywords: words(`
		content count data dynamic each else false for for_each if in lifecycle locals module null
		output provider resource terraform true variable`),
	word: DASHED_WORD
};

const toml: Grammar = {
	rules: [
		ANY_HASH_COMMENT,
		{ cls: 'keyword', re: /(?<=^[ \t]*)\[\[?[^\]\n]*\]\]?/my },
		{ cls: 'key', re: /(?<=^[ \t]*)[\w."-]+(?=[ \t]*=)/my },
		{ cls: 'string', re: /"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)/y },
		DQ_STRING,
		{ cls: 'string', re: /'[^'\n]*'/y },
		NUMBER
	],
	keywords: words('true false'),
	word: DASHED_WORD
};

const sql: Grammar = {
	rules: [
		{ cls: 'comment', re: /--.*/y },
		BLOCK_COMMENT,
		{ cls: 'string', re: /'(?:[^'\n]|'')*'/y },
		NUMBER
	],
	keywords: words(`
		add all alter and as asc begin between by case check commit constraint create default
		delete desc distinct drop else end exists false foreign from grant group having in index
		inner insert into is join key left like limit not null offset on or order outer primary
		references returning revoke right role rollback schema select set table then to true union
		unique update user using values view when where with`),
	word: WORD,
	caseInsensitive: true
};

const rego: Grammar = {
	rules: [ANY_HASH_COMMENT, DQ_STRING, BACKTICK_STRING, NUMBER],
	keywords: words(`
		as contains data default else every false if import in input not null package some true
		with`),
	word: WORD
};

const go: Grammar = {
	rules: [SLASH_COMMENT, BLOCK_COMMENT, DQ_STRING, BACKTICK_STRING, SQ_STRING, NUMBER],
	keywords: words(`
		break case chan const continue default defer else fallthrough false for func go goto if
		import interface map nil package range return select struct switch true type var`),
	word: WORD
};

const dockerfile: Grammar = {
	rules: [HASH_COMMENT, DQ_STRING, SQ_STRING, SHELL_VARIABLE],
	keywords: words(`
		ADD ARG AS CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL ONBUILD RUN SHELL
		STOPSIGNAL USER VOLUME WORKDIR`),
	word: DASHED_WORD
};

const gherkin: Grammar = {
	rules: [HASH_COMMENT, DQ_STRING, NUMBER],
	keywords: words('And Background But Examples Feature Given Outline Rule Scenario Then When'),
	word: WORD
};

const GRAMMARS: Record<string, Grammar> = {
	js: javascript,
	javascript,
	jsx: javascript,
	mjs: javascript,
	cjs: javascript,
	ts: javascript,
	typescript: javascript,
	tsx: javascript,
	py: python,
	python,
	bash,
	sh: bash,
	shell: bash,
	zsh: bash,
	console: bash,
	yaml,
	yml: yaml,
	json,
	jsonc: json,
	json5: json,
	hcl,
	terraform: hcl,
	tf: hcl,
	toml,
	sql,
	postgres: sql,
	postgresql: sql,
	rego,
	go,
	golang: go,
	dockerfile,
	docker: dockerfile,
	gherkin,
	feature: gherkin
};

/** Escapes text for use in HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

/** Returns `code` as escaped HTML, with comments, strings, numbers and keywords wrapped in `tok-*` spans. */
export function highlight(code: string, lang: string): string {
	const key = lang.toLowerCase();
	const grammar = Object.hasOwn(GRAMMARS, key) ? GRAMMARS[key] : undefined;
	if (!grammar) return escapeHtml(code);

	let out = '';
	let plain = '';
	const emit = (cls: TokenClass, text: string) => {
		out += escapeHtml(plain) + `<span class="tok-${cls}">${escapeHtml(text)}</span>`;
		plain = '';
	};

	let pos = 0;
	scan: while (pos < code.length) {
		for (const rule of grammar.rules) {
			rule.re.lastIndex = pos;
			const match = rule.re.exec(code);
			if (match && match[0].length > 0) {
				emit(rule.cls, match[0]);
				pos += match[0].length;
				continue scan;
			}
		}
		grammar.word.lastIndex = pos;
		const word = grammar.word.exec(code)?.[0];
		if (word) {
			const isKeyword = grammar.keywords.has(grammar.caseInsensitive ? word.toLowerCase() : word);
			if (isKeyword) emit('keyword', word);
			else plain += word;
			pos += word.length;
			continue;
		}
		plain += code.charAt(pos);
		pos += 1;
	}
	return out + escapeHtml(plain);
}
