/** One thing wrong in a content file: where, and what. */
export interface ContentProblem {
	file: string;
	/** Where inside the file, e.g. `levels[2].criteria[0].id`. */
	path: string;
	message: string;
}

/** Thrown when content does not validate; the message lists every problem, one per line. */
export class ContentError extends Error {
	constructor(public readonly problems: ContentProblem[]) {
		super(
			`${problems.length} problem${problems.length === 1 ? '' : 's'} in content:\n` +
				problems.map((p) => `  ${p.file}${p.path ? ` at ${p.path}` : ''}: ${p.message}`).join('\n')
		);
		this.name = 'ContentError';
	}
}

/** Collects problems while validating, so an author sees all of them at once. */
export class ProblemList {
	readonly items: ContentProblem[] = [];
	add(file: string, path: string, message: string) {
		this.items.push({ file, path, message });
	}
	throwIfAny() {
		if (this.items.length) throw new ContentError(this.items);
	}
}

/** Formats a zod-style issue path as `a[0].b`. */
export function formatPath(path: readonly PropertyKey[]): string {
	return path
		.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
		.join('');
}
