import { renderMarkdown, type Rendered } from '$lib/server/content/markdown';
import type { ProblemList } from '$lib/server/content/problems';

/** What a link in training content may point at. */
export interface LinkTargets {
	practiceIds: ReadonlySet<string>;
	/** Per module id: its lesson ids and its asset file names. */
	modules: ReadonlyMap<string, { lessons: ReadonlySet<string>; assets: ReadonlySet<string> }>;
}

/** Where a module's pages live; lesson links and images are resolved against it. */
export const moduleBase = (moduleId: string) => `/training/${moduleId}/`;

const ORIGIN = 'http://rampart.invalid';

function unescapeAttr(value: string): string {
	return value
		.replace(/&quot;/g, '"')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

function attrs(html: string, pattern: RegExp): string[] {
	return [...html.matchAll(pattern)].map((m) => unescapeAttr(m[1]!));
}

/** The path a rendered in-app URL leads to, split into segments; null if it leaves the app. */
function appPath(url: string, base: string): string[] | null {
	if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#')) return null;
	const resolved = new URL(url, ORIGIN + base);
	if (resolved.origin !== ORIGIN) return null;
	return resolved.pathname
		.split('/')
		.filter(Boolean)
		.map((segment) => {
			try {
				return decodeURIComponent(segment);
			} catch {
				return segment; // not valid percent-encoding: it cannot name a lesson anyway
			}
		});
}

/** Whether `/training/...` segments name a page that exists: the list, a module, a lesson or a quiz. */
function trainingPageExists(segments: string[], targets: LinkTargets): boolean {
	if (segments.length === 1) return true;
	const module = targets.modules.get(segments[1]!);
	if (!module) return false;
	if (segments.length === 2) return true;
	if (segments.length === 3) return segments[2] === 'quiz' || module.lessons.has(segments[2]!);
	return segments.length === 4 && segments[2] === 'assets' && module.assets.has(segments[3]!);
}

/** The file's line where `needle` first appears in the body, as `line N`, or '' if it does not. */
function locate(body: string, bodyLine: number, needle: string): string {
	const at = needle ? body.indexOf(needle) : -1;
	if (at === -1) return '';
	return `line ${bodyLine + (body.slice(0, at).match(/\n/g)?.length ?? 0)}`;
}

/** What to look for in the source to place one of the renderer's problems. */
function needleOf(problem: string): string {
	const practice = /^unknown practice "(.*)"$/.exec(problem);
	if (practice) return `practice:${practice[1]}`;
	return (/"(.*?)(?:\.\.\.)?"/.exec(problem)?.[1] ?? '').trim();
}

/**
 * Renders one markdown body of a module and checks what the renderer cannot: that lesson links
 * lead to a lesson, quiz or module that exists and that every image is a file beside the lessons.
 */
export function renderModuleMarkdown(
	source: { body: string; bodyLine: number; file: string },
	moduleId: string,
	targets: LinkTargets,
	problems: ProblemList
): Rendered {
	const base = moduleBase(moduleId);
	const rendered = renderMarkdown(source.body, {
		practiceHref: (id) => (targets.practiceIds.has(id) ? `/practices/${id}` : null),
		base
	});
	const report = (needle: string, message: string) =>
		problems.add(source.file, locate(source.body, source.bodyLine, needle), message);
	for (const problem of rendered.problems) report(needleOf(problem), problem);

	for (const href of attrs(rendered.html, /<a href="([^"]*)"/g)) {
		const segments = appPath(href, base);
		if (!segments || segments[0] !== 'training' || trainingPageExists(segments, targets)) continue;
		const written = href.startsWith(base) ? href.slice(base.length) : href;
		report(
			written,
			`link "${written}" does not resolve: no such module, lesson or quiz (${segments.join('/')})`
		);
	}
	for (const src of attrs(rendered.html, /<img src="([^"]*)"/g)) {
		if (/^https:/i.test(src)) {
			report(src, `image "${src}" is on another site: put images beside the lessons instead`);
			continue;
		}
		const segments = appPath(src, base);
		const ok =
			segments?.length === 4 &&
			segments[0] === 'training' &&
			targets.modules.get(segments[1]!)?.assets.has(segments[3]!) &&
			segments[2] === 'assets';
		if (!ok) {
			const name = src.startsWith(`${base}assets/`) ? src.slice(`${base}assets/`.length) : src;
			report(
				name,
				`image "${name}" is missing: no such .svg, .png or .jpg file beside the lessons`
			);
		}
	}
	return rendered;
}
