import MarkdownIt from 'markdown-it';
import type { StateBlock, StateCore, StateInline, Token } from 'markdown-it';
import { escapeHtml, highlight } from './highlight';

export interface RenderOptions {
	/** Resolves `[[practice:<id>]]` to a link; returns null if the id is unknown (then render the text in a <span class="broken-link"> and report it). */
	practiceHref?: (id: string) => string | null;
	/** Base path for relative links/images of a training module, e.g. '/training/threat-modeling/'; relative `x.md` links map to `${base}x` (strip .md), images to `${base}assets/x.svg`. Optional. */
	base?: string;
	/** Untrusted text (a scanner's rule help): every image is shown as its alt text, never loaded. */
	imagesAsText?: boolean;
}

export interface Rendered {
	html: string;
	headings: { level: number; text: string; id: string }[];
	problems: string[];
}

interface RenderEnv {
	options: RenderOptions;
	problems: Set<string>;
	headings: Rendered['headings'];
	ids: Set<string>;
}

const CALLOUT_TITLES: Record<string, string> = {
	tip: 'Tip',
	warning: 'Warning',
	exercise: 'Exercise'
};

const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** Browsers drop ASCII blanks and control characters from URLs, so judge the URL without them. */
function stripBlanks(url: string): string {
	let out = '';
	for (const ch of url) if (ch.charCodeAt(0) > 0x20 && ch !== '\x7f') out += ch;
	return out;
}

/** An allow-list: http(s), mailto, `#anchors`, in-app `/paths` and relative paths. */
export function isAllowedLink(url: string): boolean {
	const u = stripBlanks(url);
	// `//host` and `/\host` are protocol-relative: they leave the app.
	if (/^[/\\]{2}/.test(u)) return false;
	const scheme = SCHEME.exec(u)?.[1];
	if (scheme) return ALLOWED_SCHEMES.has(scheme.toLowerCase());
	// No scheme, yet a colon before the path starts: not a plain relative path, so refuse it.
	const colon = u.indexOf(':');
	return colon === -1 || /[/?#]/.test(u.slice(0, colon));
}

function isRelative(url: string): boolean {
	return !SCHEME.test(url) && !/^[/\\#]/.test(url);
}

function describe(url: string): string {
	return url.length > 60 ? `${url.slice(0, 57)}...` : url;
}

function humanise(id: string): string {
	const text = id.replace(/-/g, ' ');
	return text.charAt(0).toUpperCase() + text.slice(1);
}

function slugify(text: string): string {
	const slug = text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
	return slug || 'section';
}

function uniqueId(slug: string, ids: Set<string>): string {
	let id = slug;
	for (let n = 2; ids.has(id); n++) id = `${slug}-${n}`;
	ids.add(id);
	return id;
}

function plainText(children: Token[] | null): string {
	let text = '';
	for (const child of children ?? []) {
		if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
		else if (['text', 'code_inline', 'broken_link'].includes(child.type)) text += child.content;
	}
	return text.trim();
}

// Callouts: a line `::: tip` (or `warning`, `exercise`), markdown, then a line `:::`.
const CALLOUT_OPEN = /^(:{3,})[ \t]*([A-Za-z][\w-]*)(.*)$/;
const CALLOUT_CLOSE = /^(:{3,})[ \t]*$/;
const FENCE = /^(`{3,}|~{3,})/;

/** `::: tip` or `::: tip Custom title`; the kind must be followed by a blank or nothing. */
function calloutOpen(text: string) {
	const match = CALLOUT_OPEN.exec(text);
	const [, marker = ':::', kind = '', rest = ''] = match ?? [];
	if (!match || (rest && !/^[ \t]/.test(rest))) return null;
	return { marker, kind, title: rest.trim() || undefined };
}

function callout(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
	if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
	const lineText = (line: number) =>
		state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]);
	const open = calloutOpen(lineText(startLine));
	if (!open) return false;
	if (silent) return true;

	const { marker, kind, title } = open;
	// Find the matching `:::`, skipping nested callouts and fenced code that may contain `:::`.
	let nextLine = startLine;
	let depth = 0;
	let fence: string | null = null;
	let closed = false;
	while (++nextLine < endLine) {
		const text = lineText(nextLine);
		if (text && state.sCount[nextLine]! < state.blkIndent) break; // less indented: the list ended
		if (state.sCount[nextLine]! - state.blkIndent >= 4) continue;
		const fenceMarker = FENCE.exec(text)?.[1];
		if (fence) {
			const closes = fenceMarker?.startsWith(fence) && text.slice(fenceMarker.length).trim() === '';
			if (closes) fence = null;
			continue;
		}
		if (fenceMarker) fence = fenceMarker;
		else if (calloutOpen(text)) depth++;
		else if ((CALLOUT_CLOSE.exec(text)?.[1]?.length ?? 0) >= marker.length) {
			if (depth === 0) {
				closed = true;
				break;
			}
			depth--;
		}
	}

	const env = state.env as RenderEnv;
	const known = Object.hasOwn(CALLOUT_TITLES, kind.toLowerCase());
	if (!known) env.problems.add(`unknown callout kind "${kind}"`);
	if (!closed) env.problems.add(`callout "${kind}" is not closed with a line ":::"`);

	const oldLineMax = state.lineMax;
	state.lineMax = nextLine;
	const openToken = state.push('callout_open', 'aside', 1);
	openToken.block = true;
	openToken.markup = marker;
	openToken.info = known ? kind.toLowerCase() : '';
	openToken.meta = { title: title ?? (known ? CALLOUT_TITLES[kind.toLowerCase()] : null) };
	openToken.map = [startLine, nextLine];
	state.md.block.tokenize(state, startLine + 1, nextLine);
	const closeToken = state.push('callout_close', 'aside', -1);
	closeToken.block = true;
	closeToken.markup = marker;
	state.lineMax = oldLineMax;
	state.line = nextLine + (closed ? 1 : 0);
	return true;
}

// `[[practice:<id>]]` → a link to the practice, or a visibly broken one.
const PRACTICE_LINK = /^\[\[practice:([^\]\n]*)\]\]/;
const PRACTICE_ID = /^[a-z0-9][a-z0-9-]*$/;

function practiceLink(state: StateInline, silent: boolean): boolean {
	if (state.src.charCodeAt(state.pos) !== 0x5b || state.src.charCodeAt(state.pos + 1) !== 0x5b) {
		return false;
	}
	const match = PRACTICE_LINK.exec(state.src.slice(state.pos, state.posMax));
	if (!match) return false;
	if (!silent) {
		const env = state.env as RenderEnv;
		const id = match[1]!.trim();
		const label = humanise(id);
		const href = PRACTICE_ID.test(id) ? (env.options.practiceHref?.(id) ?? null) : null;
		if (href === null || !isAllowedLink(href)) {
			env.problems.add(`unknown practice "${id}"`);
			state.push('broken_link', 'span', 0).content = label;
		} else {
			const open = state.push('link_open', 'a', 1);
			open.attrs = [['href', href]];
			open.meta = { practice: true };
			state.push('text', '', 0).content = label;
			state.push('link_close', 'a', -1);
		}
	}
	state.pos += match[0].length;
	return true;
}

function withBase(base: string): string {
	return base.endsWith('/') ? base : `${base}/`;
}

/** After parsing: heading ids, task lists, link and image rules, and no inline styles. */
function finish(state: StateCore): void {
	const env = state.env as RenderEnv;
	const tokens = state.tokens;
	tokens.forEach((token, i) => {
		if (token.type === 'heading_open' && (token.tag === 'h2' || token.tag === 'h3')) {
			const text = plainText(tokens[i + 1]?.children ?? null);
			const id = uniqueId(slugify(text), env.ids);
			token.attrSet('id', id);
			env.headings.push({ level: Number(token.tag.slice(1)), text, id });
		}
		if (token.type === 'th_open' || token.type === 'td_open') {
			// markdown-it aligns cells with style="", which the CSP forbids.
			const align = /text-align:(\w+)/.exec(token.attrGet('style') ?? '')?.[1];
			token.attrs = align ? [['class', `align-${align}`]] : null;
		}
		if (token.type === 'inline') {
			if (tokens[i - 1]?.type === 'paragraph_open' && tokens[i - 2]?.type === 'list_item_open') {
				taskItem(state, tokens, i);
			}
			token.children = (token.children ?? []).map((child) => checkLinks(state, child));
		}
	});
}

const TASK = /^\[([ xX])\](?=[ \t])/;

function taskItem(state: StateCore, tokens: Token[], i: number): void {
	const first = tokens[i]!.children?.[0];
	const match = first?.type === 'text' ? TASK.exec(first.content) : null;
	if (!first || !match) return;
	first.content = first.content.slice(match[0].length);
	const box = new state.Token('task_checkbox', 'span', 0);
	box.meta = { checked: match[1] !== ' ' };
	tokens[i]!.children!.unshift(box);
	const item = tokens[i - 2]!;
	item.attrJoin('class', 'task-list-item');
	for (let j = i - 3; j >= 0; j--) {
		const list = tokens[j]!;
		if (list.level === item.level - 1 && list.nesting === 1) {
			if (!(list.attrGet('class') ?? '').includes('contains-task-list')) {
				list.attrJoin('class', 'contains-task-list');
			}
			break;
		}
	}
}

function checkLinks(state: StateCore, token: Token): Token {
	const env = state.env as RenderEnv;
	const base = env.options.base;
	if (token.type === 'link_open' && !token.meta?.practice) {
		const href = token.attrGet('href') ?? '';
		if (/^https?:/i.test(href)) token.attrSet('rel', 'noopener noreferrer');
		else if (base && isRelative(href)) {
			const path = href.replace(/^(?:\.\/)+/, '').replace(/\.md(?=$|[?#])/, '');
			token.attrSet('href', withBase(base) + path);
		}
	}
	if (token.type === 'image') {
		const src = token.attrGet('src') ?? '';
		if (env.options.imagesAsText) {
			const alt = new state.Token('text', '', 0);
			alt.content = plainText(token.children);
			return alt;
		}
		if (/^https:/i.test(src)) return token;
		if (!isRelative(src) || !src) {
			env.problems.add(`image "${describe(src)}" refused: only module assets and https images`);
			const alt = new state.Token('text', '', 0);
			alt.content = plainText(token.children);
			return alt;
		}
		if (base) {
			const path = src.replace(/^(?:\.\/)+/, '').replace(/^assets\//, '');
			token.attrSet('src', `${withBase(base)}assets/${path}`);
		}
	}
	return token;
}

function codeBlock(code: string, info: string): string {
	const lang = info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
	const safeLang = /^[a-z0-9+#._-]{1,32}$/.test(lang) ? lang : '';
	const attr = safeLang ? ` data-lang="${safeLang}"` : '';
	return `<pre class="code" tabindex="0"${attr}><code>${highlight(code, safeLang)}</code></pre>\n`;
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: true });
// Linkify should only propose links we allow, so refusals below always come from explicit links.
md.linkify.add('//', null).add('ftp:', null);

// validateLink gets no env, so the render in progress is kept here; rendering is synchronous.
let current: RenderEnv | null = null;
md.validateLink = (url) => {
	const allowed = isAllowedLink(url);
	if (!allowed) {
		current?.problems.add(
			`link "${describe(url)}" refused: only http, https, mailto and app links are allowed`
		);
	}
	return allowed;
};

md.block.ruler.before('fence', 'callout', callout, {
	alt: ['paragraph', 'reference', 'blockquote', 'list']
});
md.inline.ruler.before('link', 'practice_link', practiceLink);
md.core.ruler.push('rampart_finish', finish);

md.renderer.rules.fence = (tokens, idx) => codeBlock(tokens[idx]!.content, tokens[idx]!.info);
md.renderer.rules.code_block = (tokens, idx) => codeBlock(tokens[idx]!.content, '');
md.renderer.rules.callout_open = (tokens, idx) => {
	const token = tokens[idx]!;
	const cls = token.info ? `callout callout-${token.info}` : 'callout';
	const title: string | null = token.meta?.title ?? null;
	const heading = title ? `<p class="callout-title">${escapeHtml(title)}</p>\n` : '';
	return `<aside class="${cls}" role="note">\n${heading}`;
};
md.renderer.rules.callout_close = () => '</aside>\n';
md.renderer.rules.broken_link = (tokens, idx) =>
	`<span class="broken-link">${escapeHtml(tokens[idx]!.content)}</span>`;
// A task's box is text, not a form control: a checkbox nobody can tick needs a label of its own
// (axe `label`) and reads as a control; this reads "To do: …" or "Done: …".
md.renderer.rules.task_checkbox = (tokens, idx) =>
	tokens[idx]!.meta?.checked
		? '<span class="task-box" aria-hidden="true">☑</span><span class="visually-hidden">Done: </span>'
		: '<span class="task-box" aria-hidden="true">☐</span><span class="visually-hidden">To do: </span>';

/** Renders content markdown to HTML that is safe for `{@html}`, with its headings and any problems. */
export function renderMarkdown(source: string, options: RenderOptions = {}): Rendered {
	const env: RenderEnv = { options, problems: new Set(), headings: [], ids: new Set() };
	current = env;
	try {
		const html = md.render(source, env);
		return { html, headings: env.headings, problems: [...env.problems] };
	} finally {
		current = null;
	}
}
