import type { FindingLocation } from './scan-report';
import { cleanLine, limits, lineNumber, list, own, record } from './untrusted-text';

/**
 * Where a SARIF result is, as a path inside the repository: never a URL to follow. Relative
 * URIs are joined to their `originalUriBaseIds` up to the first absolute base (the checkout
 * root, whatever machine it was on); an absolute `file:` URI under such a base loses the base.
 */

interface UriBase {
	uri: string;
	uriBaseId: string | null;
}

/** What one run says about its files: named base URIs and its artifacts (for `index` references). */
export interface RunFiles {
	bases: Map<string, UriBase>;
	/** Absolute base directories as normalised paths ending in '/', longest first. */
	roots: string[];
	artifacts: unknown[];
}

// A scheme has two characters or more, so a Windows drive ("C:") is not one.
const SCHEME = /^([a-z][a-z0-9+.-]+):(.*)$/is;
const isAbsolute = (uri: string) =>
	SCHEME.test(uri) || uri.startsWith('/') || uri.startsWith('\\') || /^[a-z]:[\\/]/i.test(uri);

/**
 * Reads a run's `originalUriBaseIds` and `artifacts` once, for every result of the run. Absolute
 * paths are made relative to a root: a base the log declares, a directory an invocation of the
 * tool worked in (`invocations[].workingDirectory`), or the checkout directory the upload names
 * (`?checkout=`, as GitHub's `checkout_path`): ESLint's formatter, for one, writes every file as
 * an absolute `file:` URI of the machine it ran on.
 */
export function runFiles(run: Record<string, unknown>, checkout: string | null = null): RunFiles {
	const bases = new Map<string, UriBase>();
	const declared = record(own(run, 'originalUriBaseIds'));
	for (const [id, value] of Object.entries(declared ?? {}).slice(0, 100)) {
		const uri = own(value, 'uri');
		const base = own(value, 'uriBaseId');
		if (typeof uri === 'string') {
			bases.set(id, { uri: uri.trim(), uriBaseId: typeof base === 'string' ? base : null });
		}
	}
	const roots: string[] = [];
	for (const id of bases.keys()) {
		const joined = joinBases('', id, bases);
		if (joined.absolute) {
			const path = normalisePath(joined.uri);
			if (path) roots.push(path.endsWith('/') ? path : `${path}/`);
		}
	}
	const workingDirectories = list(own(run, 'invocations'))
		.slice(0, 10)
		.map((invocation) => own(own(invocation, 'workingDirectory'), 'uri'));
	for (const uri of [checkout, ...workingDirectories]) {
		if (typeof uri !== 'string' || !isAbsolute(uri.trim())) continue;
		const path = normalisePath(uri.trim());
		if (path && path !== '/') roots.push(path.endsWith('/') ? path : `${path}/`);
	}
	roots.sort((a, b) => b.length - a.length);
	return { bases, roots, artifacts: list(own(run, 'artifacts')) };
}

/** `uri` joined to its base and the base's bases, stopping at an absolute one (or a loop). */
function joinBases(uri: string, baseId: string | null, bases: Map<string, UriBase>) {
	let joined = uri;
	let id = baseId;
	for (let depth = 0; id !== null && depth < 10 && !isAbsolute(joined); depth += 1) {
		const base = bases.get(id);
		if (!base) break;
		if (isAbsolute(base.uri)) {
			// The repository's root: the path below it is the repository path.
			return { uri: joined || base.uri, absolute: !joined };
		}
		joined = joined ? `${base.uri.replace(/\/*$/, '')}/${joined}` : base.uri;
		id = base.uriBaseId;
	}
	return { uri: joined, absolute: isAbsolute(joined) };
}

function decode(text: string): string {
	if (!text.includes('%')) return text;
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** A URI or path as a plain path: no scheme or host, '/' separators, no '.' or empty segments. */
export function normalisePath(uri: string): string | null {
	let path = uri.length > limits.path * 4 ? uri.slice(0, limits.path * 4) : uri;
	const scheme = SCHEME.exec(path);
	if (scheme) {
		path = scheme[2] ?? '';
		if (path.startsWith('//')) {
			// Drop the authority (a host, a user): only the path is kept.
			const slash = path.indexOf('/', 2);
			path = slash < 0 ? '' : path.slice(slash);
		}
	}
	path = decode(path).replace(/\\/g, '/');
	if (/^\/[a-z]:\//i.test(path)) path = path.slice(1);
	const out: string[] = [];
	for (const segment of path.split('/')) {
		if (segment === '' || segment === '.') continue;
		if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
		else out.push(segment);
	}
	return cleanLine((path.startsWith('/') ? '/' : '') + out.join('/'), limits.path);
}

function artifactPath(location: Record<string, unknown> | null, files: RunFiles): string | null {
	let uri = own(location, 'uri');
	let baseId = own(location, 'uriBaseId');
	const index = own(location, 'index');
	if (typeof uri !== 'string' && typeof index === 'number' && Number.isInteger(index)) {
		const artifact = own(files.artifacts[index], 'location');
		uri = own(artifact, 'uri');
		baseId = own(artifact, 'uriBaseId') ?? baseId;
	}
	if (typeof uri !== 'string' || !uri.trim()) return null;
	const joined = joinBases(uri.trim(), typeof baseId === 'string' ? baseId : null, files.bases);
	const path = normalisePath(joined.uri);
	if (!path || !joined.absolute) return path;
	const root = files.roots.find((r) => path.startsWith(r));
	return root ? path.slice(root.length) || null : path;
}

/** The result's first physical location: its path and lines (absurd line numbers dropped). */
export function resultLocation(result: Record<string, unknown>, files: RunFiles): FindingLocation {
	const physical = list(own(result, 'locations'))
		.slice(0, 20)
		.map((location) => record(own(location, 'physicalLocation')))
		.find((p) => p !== null);
	if (!physical) return { path: null, startLine: null, endLine: null };
	const region = own(physical, 'region');
	const startLine = lineNumber(own(region, 'startLine'));
	const endLine = startLine === null ? null : lineNumber(own(region, 'endLine'));
	return {
		path: artifactPath(record(own(physical, 'artifactLocation')), files),
		startLine,
		endLine: endLine !== null && endLine >= startLine! ? endLine : null
	};
}
