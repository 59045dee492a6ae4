import { describe, it, expect } from 'vitest';
import { highlight } from './highlight';
import { isAllowedLink, renderMarkdown } from './markdown';

const known = new Set(['code-review', 'threat-modeling']);
const practiceHref = (id: string) => (known.has(id) ? `/model/practices/${id}` : null);
const render = (source: string) => renderMarkdown(source, { practiceHref });
const html = (source: string) => render(source).html;

/** Every href and src attribute value in the output. */
function urls(out: string): string[] {
	return [...out.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
}

/** Removes the spans the highlighter may add, then undoes its escaping. */
function unhighlight(out: string): string {
	return out
		.replace(/<span class="tok-[a-z]+">|<\/span>/g, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&amp;/g, '&');
}

describe('renderMarkdown: raw HTML', () => {
	it('shows a script tag as escaped text', () => {
		const out = html('<script>alert(1)</script>');
		expect(out).not.toContain('<script');
		expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
	});

	it('escapes an img tag with an event handler', () => {
		const out = html('Look: <img src=x onerror=alert(1)>');
		expect(out).not.toContain('<img');
		expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
	});

	it('escapes HTML blocks and inline HTML inside other markup', () => {
		const out = html('<div onclick="x()">\n\n**<b>bold</b>**\n\n| a |\n|---|\n| <i>b</i> |');
		expect(out).not.toMatch(/<(div|b|i)[\s>]/);
	});
});

describe('renderMarkdown: links', () => {
	it.each([
		'[x](javascript:alert(1))',
		'[x](JAVASCRIPT:alert(1))',
		'[x](  javascript:alert(1))',
		'[x](<javascript:alert(1)>)',
		'[x](java&#x73;cript:alert(1))',
		'[x](&#106;avascript:alert(1))',
		'[x](data:text/html;base64,PHNjcmlwdD4=)',
		'[x](vbscript:msgbox)',
		'[x](file:///etc/passwd)',
		'[x](//evil.example/)',
		'[x](\\/\\/evil.example/)',
		'<javascript:alert(1)>',
		'[x][ref]\n\n[ref]: javascript:alert(1)',
		'see //evil.example/path and ftp://files.example/x'
	])('renders %j inert', (source) => {
		const out = html(source);
		expect(out).not.toMatch(/href="\s*(javascript|data|vbscript|file):/i);
		expect(out).not.toMatch(/href="\/\//);
		expect(urls(out).every(isAllowedLink)).toBe(true);
		expect(out).not.toContain('<a');
	});

	it('never lets a backslash make a protocol-relative link', () => {
		expect(urls(html('[x](/\\evil.example/)'))).toEqual(['/%5Cevil.example/']);
	});

	it.each([
		['https://owasp.org', true],
		['mailto:a@example.com', true],
		['/model', true],
		['#top', true],
		['../other/x.md', true],
		['a/b:c', true],
		['javascript:alert(1)', false],
		[' \tJaVaScRiPt:alert(1)', false],
		['java\tscript:alert(1)', false],
		['data:text/html,x', false],
		['//evil.example', false],
		['/\\evil.example', false],
		['\\\\evil.example', false],
		['javascript%3Aalert(1):x', false]
	])('isAllowedLink(%j) is %s', (url, allowed) => {
		expect(isAllowedLink(url)).toBe(allowed);
	});

	it('reports refused links', () => {
		expect(render('[x](javascript:alert(1))').problems).toEqual([
			expect.stringContaining('link "javascript:alert(1)" refused')
		]);
	});

	it('keeps http, https, mailto, app, anchor and relative links', () => {
		const out = html(
			'[a](https://owasp.org) [b](http://example.com) [c](mailto:sec@example.com) ' +
				'[d](/model) [e](#what-good-looks-like) [f](02-zap-in-ci.md)'
		);
		expect(urls(out)).toEqual([
			'https://owasp.org',
			'http://example.com',
			'mailto:sec@example.com',
			'/model',
			'#what-good-looks-like',
			'02-zap-in-ci.md'
		]);
	});

	it('adds rel="noopener noreferrer" to external links only', () => {
		const out = html('[a](https://owasp.org) [b](/model) and www.example.com');
		expect(out).toContain('<a href="https://owasp.org" rel="noopener noreferrer">a</a>');
		expect(out).toContain('<a href="/model">b</a>');
		expect(out).toContain('<a href="http://www.example.com" rel="noopener noreferrer">');
	});

	it('escapes quotes in a link title', () => {
		const out = html('[x](https://example.com "say \\"hi\\" <b>")');
		expect(out).toContain('title="say &quot;hi&quot; &lt;b&gt;"');
		expect(out).not.toContain('" <b>');
	});

	it('maps relative links to the module base and strips .md', () => {
		const out = renderMarkdown(
			'[next](02-zap-in-ci.md) [part](./03-auth.md#tokens) [abs](/model)',
			{
				base: '/training/dynamic-testing/'
			}
		).html;
		expect(urls(out)).toEqual([
			'/training/dynamic-testing/02-zap-in-ci',
			'/training/dynamic-testing/03-auth#tokens',
			'/model'
		]);
	});
});

describe('renderMarkdown: images', () => {
	it('refuses data: images', () => {
		const out = html('![x](data:image/svg+xml,<svg onload=alert(1)>)');
		expect(out).not.toContain('<img');
		expect(out).not.toContain('src="data:');
		expect(out).not.toContain('<svg');
	});

	it('refuses http and absolute images, keeping the alt text', () => {
		const result = render('![plain](http://example.com/a.png) ![abs](/static/a.png)');
		expect(result.html).not.toContain('<img');
		expect(result.html).toContain('plain');
		expect(result.problems).toHaveLength(2);
	});

	it('escapes attribute injection through the alt text', () => {
		const out = html('![x" onerror="alert(1)](a.svg)');
		const img = /<img [^>]*>/.exec(out)?.[0] ?? '';
		expect(img).toMatch(/^<img src="a\.svg" alt="[^"]*">$/);
		expect(out).not.toContain('onerror="');
	});

	it('maps relative images to the module assets and keeps https images', () => {
		const out = renderMarkdown(
			'![a](dfd.svg) ![b](./assets/flow.svg) ![c](https://example.com/c.png)',
			{
				base: '/training/threat-modeling'
			}
		).html;
		expect(urls(out)).toEqual([
			'/training/threat-modeling/assets/dfd.svg',
			'/training/threat-modeling/assets/flow.svg',
			'https://example.com/c.png'
		]);
	});
});

describe('renderMarkdown: code', () => {
	it('escapes HTML in fenced code', () => {
		const out = html('```yaml\nkey: "</code><script>alert(1)</script>"\n```');
		expect(out).toMatch(/^<pre class="code" tabindex="0" data-lang="yaml"><code>/);
		expect(out).not.toContain('<script');
		expect(out.match(/<\/code>/g)).toHaveLength(1);
		expect(out).toContain('&lt;/code&gt;&lt;script&gt;');
	});

	it('escapes HTML in inline code and unknown languages', () => {
		const out = html(
			'`</code><script>` and\n\n```<script>\n</code><script>\n```\n\n    <b>indented</b>'
		);
		expect(out).not.toContain('<script');
		expect(out).not.toContain('<b>');
		expect(out).toContain('<pre class="code" tabindex="0"><code>&lt;/code&gt;&lt;script&gt;');
	});

	it('highlights known languages', () => {
		const out = html('```yaml\n# comment\nname: "scan" # why\nretries: 3\n```');
		expect(out).toContain('<span class="tok-comment"># comment</span>');
		expect(out).toContain('<span class="tok-key">name</span>');
		expect(out).toContain('<span class="tok-string">&quot;scan&quot;</span>');
		expect(out).toContain('<span class="tok-number">3</span>');
	});

	it('puts a sanitised language in data-lang', () => {
		expect(html('```yaml" onload="x\nx\n```')).toContain('<pre class="code" tabindex="0"><code>');
	});
});

describe('highlight', () => {
	const langs = [
		'yaml',
		'json',
		'bash',
		'sh',
		'js',
		'ts',
		'python',
		'hcl',
		'sql',
		'toml',
		'rego',
		'go',
		'dockerfile',
		'gherkin',
		'unknown'
	];
	const samples = [
		'<script>alert(1)</script>',
		'x = "</span><script>" # <b>\n// </code>',
		'\'<img onerror=x>\' /* <i> */ -- <u>\n`<x>` """<y>"""',
		"a: \"<unclosed\nb: '</pre>' # &amp; <!-- -->",
		'"\\"<a>\\"" ${<x>} $<y> <<EOF\n<z>\nEOF'
	];

	it.each(langs)('never emits unescaped < or > from input (%s)', (lang) => {
		for (const sample of samples) {
			const out = highlight(sample, lang);
			expect(out.replace(/<span class="tok-[a-z]+">|<\/span>/g, '')).not.toMatch(/[<>]/);
			expect(unhighlight(out)).toBe(sample);
		}
	});

	it('round-trips random input in every language', () => {
		const alphabet = '<>&"\'`#/*-\n \t${}:=[]\\ax1_.';
		let seed = 42;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (let n = 0; n < 300; n++) {
			let sample = '';
			for (let i = 0; i < 60; i++)
				sample += alphabet.charAt(Math.floor(random() * alphabet.length));
			for (const lang of langs) {
				const out = highlight(sample, lang);
				expect(out.replace(/<span class="tok-[a-z]+">|<\/span>/g, '')).not.toMatch(/[<>]/);
				expect(unhighlight(out)).toBe(sample);
			}
		}
	});

	it('wraps comments, strings, numbers and keywords', () => {
		expect(highlight('const x = "a"; // note\nreturn 42;', 'ts')).toBe(
			'<span class="tok-keyword">const</span> x = <span class="tok-string">&quot;a&quot;</span>; ' +
				'<span class="tok-comment">// note</span>\n<span class="tok-keyword">return</span> ' +
				'<span class="tok-number">42</span>;'
		);
		expect(highlight('SELECT id FROM t -- why', 'sql')).toContain(
			'<span class="tok-keyword">SELECT</span>'
		);
		expect(highlight('echo "$X" $Y # c', 'bash')).toContain('<span class="tok-variable">$Y</span>');
		expect(highlight("echo don't # c", 'bash')).toContain("don't ");
	});

	it('does not find keywords inside identifiers', () => {
		expect(highlight('format_if = ifx', 'python')).not.toContain('tok-keyword');
	});
});

describe('renderMarkdown: headings', () => {
	it('gives h2 and h3 unique, stable ids and collects them', () => {
		const result = render(
			'# Title\n\n## What good looks like\n\n### Step 1: `scan` it\n\n## What good looks like\n\n## What good looks like 2\n\n## Évaluer ça!\n\n## ???'
		);
		expect(result.headings).toEqual([
			{ level: 2, text: 'What good looks like', id: 'what-good-looks-like' },
			{ level: 3, text: 'Step 1: scan it', id: 'step-1-scan-it' },
			{ level: 2, text: 'What good looks like', id: 'what-good-looks-like-2' },
			{ level: 2, text: 'What good looks like 2', id: 'what-good-looks-like-2-2' },
			{ level: 2, text: 'Évaluer ça!', id: 'evaluer-ca' },
			{ level: 2, text: '???', id: 'section' }
		]);
		expect(result.html).toContain('<h1>Title</h1>');
		expect(result.html).toContain('<h2 id="what-good-looks-like-2">');
		const ids = [...result.html.matchAll(/ id="([^"]*)"/g)].map((m) => m[1]);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('escapes markup in heading text', () => {
		const result = render('## <img src=x onerror=alert(1)>');
		expect(result.html).not.toContain('<img');
		expect(result.headings[0]?.id).toBe('img-src-x-onerror-alert-1');
	});
});

describe('renderMarkdown: task lists', () => {
	const todo =
		'<span class="task-box" aria-hidden="true">☐</span><span class="visually-hidden">To do: </span>';
	const done =
		'<span class="task-box" aria-hidden="true">☑</span><span class="visually-hidden">Done: </span>';

	it('renders each box as a symbol with words for screen readers, never as a form control', () => {
		const out = html('- [ ] to do <b>\n- [x] done **well**\n- [X] also done\n- not a task [ ]');
		expect(out).toContain('<ul class="contains-task-list">');
		expect(out).toContain(`<li class="task-list-item">${todo} to do &lt;b&gt;</li>`);
		expect(out).toContain(`<li class="task-list-item">${done} done <strong>well</strong></li>`);
		expect(out).toContain(`${done} also done`);
		expect(out).toContain('<li>not a task [ ]</li>');
		// An unlabelled control is what axe reported (rule `label`, critical).
		expect(out).not.toContain('<input');
		expect(out.match(/class="task-box"/g)).toHaveLength(3);
	});

	it('leaves brackets elsewhere alone', () => {
		expect(html('[ ] not in a list')).not.toContain('task-box');
	});
});

describe('renderMarkdown: callouts', () => {
	it('renders a callout with nested markdown', () => {
		const result = render(
			'::: tip\nUse **bold** and [[practice:code-review]].\n\n- one\n- two\n\n```yaml\n:::\n```\n:::\n\nAfter.'
		);
		expect(result.problems).toEqual([]);
		expect(result.html).toContain(
			'<aside class="callout callout-tip" role="note">\n<p class="callout-title">Tip</p>\n<p>Use <strong>bold</strong>'
		);
		expect(result.html).toContain('<li>two</li>');
		expect(result.html).toContain(
			'<pre class="code" tabindex="0" data-lang="yaml"><code>:::\n</code></pre>\n</aside>'
		);
		expect(result.html).toMatch(/<\/aside>\n<p>After.<\/p>/);
	});

	it('supports warning and exercise, and nesting', () => {
		const out = html('::: warning\nCareful\n\n::: exercise\nTry it\n:::\n\nStill warning\n:::');
		expect(out).toContain('<aside class="callout callout-warning" role="note">');
		expect(out).toContain('<p class="callout-title">Exercise</p>\n<p>Try it</p>\n</aside>');
		expect(out).toMatch(/Still warning<\/p>\n<\/aside>\n$/);
	});

	it('takes an optional title after the kind, escaped', () => {
		const out = html('::: tip Before you <b>start</b>\nText\n:::\n\n::: tip!\n:::');
		expect(out).toContain('<p class="callout-title">Before you &lt;b&gt;start&lt;/b&gt;</p>');
		expect(out.match(/<aside/g)).toHaveLength(1);
	});

	it('reports an unknown kind and renders a plain callout', () => {
		const result = render('::: danger\n<script>x</script>\n:::');
		expect(result.problems).toEqual(['unknown callout kind "danger"']);
		expect(result.html).toBe(
			'<aside class="callout" role="note">\n<p>&lt;script&gt;x&lt;/script&gt;</p>\n</aside>\n'
		);
	});

	it('reports a callout that is never closed', () => {
		const result = render('::: tip\nno end');
		expect(result.html).toContain('<p>no end</p>\n</aside>');
		expect(result.problems).toEqual([expect.stringContaining('not closed')]);
	});
});

describe('renderMarkdown: practice links', () => {
	it('links a known practice with a humanised label', () => {
		const result = render('See [[practice:threat-modeling]].');
		expect(result.html).toBe(
			'<p>See <a href="/model/practices/threat-modeling">Threat modeling</a>.</p>\n'
		);
		expect(result.problems).toEqual([]);
	});

	it('marks an unknown practice and reports it', () => {
		const result = render('See [[practice:made-up]] and [[practice:<b>]].');
		expect(result.html).toContain('<span class="broken-link">Made up</span>');
		expect(result.html).toContain('<span class="broken-link">&lt;b&gt;</span>');
		expect(result.problems).toEqual(['unknown practice "made-up"', 'unknown practice "<b>"']);
	});

	it('never nests a practice link inside a link', () => {
		// markdown-it refuses links inside link text, so the outer link stays text.
		const out = html('[see [[practice:code-review]]](/x)');
		expect(out).toBe('<p>[see <a href="/model/practices/code-review">Code review</a>](/x)</p>\n');
	});

	it('treats every practice as unknown without a resolver', () => {
		expect(renderMarkdown('[[practice:code-review]]').problems).toEqual([
			'unknown practice "code-review"'
		]);
	});
});

describe('renderMarkdown: output', () => {
	it('never emits style attributes (the CSP forbids them)', () => {
		const out = html('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |');
		expect(out).not.toContain('style=');
		expect(out).toContain('<td class="align-center">2</td>');
	});

	it('applies typographic quotes and dashes to prose', () => {
		expect(html('"Quoted" -- text')).toBe('<p>“Quoted” – text</p>\n');
	});
});
