import { FindingSet, findingKey } from './finding-set';
import {
	ScanFormatError,
	type ReportedFinding,
	type ScanReport,
	type ScannedTool,
	type Severity
} from './scan-report';
import { higherSeverity, severityFromScore, severityFromWord } from './severity';
import { cleanLine, cleanText, limits, list, own, record } from './untrusted-text';

const specVersions = ['1.4', '1.5', '1.6'];

/** A component as a finding's location: its purl, else [group/]name[@version]. */
function identity(component: unknown): string | null {
	const purl = cleanLine(own(component, 'purl'), limits.path);
	if (purl) return purl;
	const name = cleanLine(own(component, 'name'), limits.path);
	if (!name) return null;
	const group = cleanLine(own(component, 'group'), limits.path);
	const version = cleanLine(own(component, 'version'), limits.toolVersion);
	return cleanLine(
		`${group ? `${group}/` : ''}${name}${version ? `@${version}` : ''}`,
		limits.path
	);
}

/**
 * Walks components and their nested components (without recursion, so no depth of nesting can
 * overflow the stack): how many there are, and each `bom-ref` as the component's identity.
 */
function readComponents(bom: Record<string, unknown>) {
	const refs = new Map<string, string | null>();
	let count = 0;
	const subject = own(own(bom, 'metadata'), 'component');
	const stack: [unknown, boolean][] = [
		...list(own(bom, 'components')).map((c): [unknown, boolean] => [c, true]),
		[subject, false]
	];
	while (stack.length > 0) {
		const [component, counted] = stack.pop()!;
		if (!record(component)) continue;
		if (counted) count += 1;
		const ref = own(component, 'bom-ref');
		if (typeof ref === 'string' && !refs.has(ref)) refs.set(ref, identity(component));
		for (const child of list(own(component, 'components'))) stack.push([child, counted]);
	}
	return { count, refs, subject: identity(subject) };
}

/** Tools in either form: a 1.4 array, or 1.5+ `{ components, services }`. */
function readTools(tools: unknown): ScannedTool[] {
	const entries = Array.isArray(tools)
		? tools
		: [...list(own(tools, 'components')), ...list(own(tools, 'services'))];
	const read: ScannedTool[] = [];
	for (const entry of entries.slice(0, 100)) {
		const name = cleanLine(own(entry, 'name'), limits.toolName);
		const version = own(entry, 'version');
		if (name) read.push({ name, version: cleanLine(version, limits.toolVersion) });
	}
	return read;
}

/** The highest of the ratings, each by its severity word or else its score; null if none says. */
function ratedSeverity(vulnerability: unknown): Severity | null {
	let highest: Severity | null = null;
	for (const rating of list(own(vulnerability, 'ratings')).slice(0, 100)) {
		const severity =
			severityFromWord(own(rating, 'severity')) ?? severityFromScore(own(rating, 'score'));
		if (severity) highest = highest ? higherSeverity(highest, severity) : severity;
	}
	return highest;
}

/** A VEX analysis saying the component is not affected, as a suppression. */
function vexSuppression(vulnerability: unknown): ReportedFinding['suppressed'] {
	const analysis = own(vulnerability, 'analysis');
	const state = own(analysis, 'state');
	if (state !== 'not_affected' && state !== 'false_positive') return null;
	const why = [own(analysis, 'justification'), own(analysis, 'detail')].filter(
		(part): part is string => typeof part === 'string'
	);
	return { kind: state, justification: cleanText(why.join(': '), limits.justification) };
}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return `a ${typeof value}`;
}

function formatProblem(bom: Record<string, unknown> | null, value: unknown): string | null {
	if (!bom) return `expected a JSON object, got ${kindOf(value)}`;
	const format = own(bom, 'bomFormat');
	if (format !== 'CycloneDX') {
		return format === undefined
			? 'it has no "bomFormat"'
			: `bomFormat is ${cleanLine(String(format), 40) ?? '""'}`;
	}
	const spec = own(bom, 'specVersion');
	if (typeof spec === 'string' && specVersions.includes(spec)) return null;
	return spec === undefined
		? 'it has no "specVersion"'
		: `specVersion is ${cleanLine(String(spec), 40) ?? '""'}`;
}

/**
 * Reads a CycloneDX JSON SBOM (1.4–1.6): its components counted, its tools, and each
 * vulnerability × affected component as a finding located at the component (purl or
 * name@version). A vulnerability without ratings counts as medium, as SARIF's default level does.
 */
export function readCycloneDx(bom: unknown): ScanReport {
	const root = record(bom);
	const problem = formatProblem(root, bom);
	if (problem || !root) throw new ScanFormatError(`not a CycloneDX 1.4–1.6 JSON SBOM: ${problem}`);
	const { count, refs, subject } = readComponents(root);
	const set = new FindingSet();
	const tools = readTools(own(own(root, 'metadata'), 'tools'));
	for (const tool of tools) set.addTool(tool);
	let results = 0;
	let skipped = 0;
	for (const vulnerability of list(own(root, 'vulnerabilities'))) {
		const affects = list(own(vulnerability, 'affects'));
		results += Math.max(1, affects.length);
		if (!record(vulnerability)) {
			skipped += 1;
			continue;
		}
		const id = cleanLine(own(vulnerability, 'id'), limits.ruleId) ?? '';
		const tool = readTools(own(vulnerability, 'tools'))[0] ??
			tools[0] ?? { name: 'unknown', version: null };
		set.addTool(tool);
		const description = cleanText(own(vulnerability, 'description'), limits.message);
		const detail = cleanText(own(vulnerability, 'detail'), limits.help);
		const recommendation = cleanText(own(vulnerability, 'recommendation'), limits.help);
		const help = [description ? detail : null, recommendation].filter((p) => p !== null);
		const common = {
			tool,
			ruleId: id,
			ruleName: null,
			severity: ratedSeverity(vulnerability) ?? 'medium',
			message: description ?? cleanText(detail, limits.message) ?? id,
			help: cleanText(help.join('\n\n'), limits.help),
			suppressed: vexSuppression(vulnerability)
		};
		// A vulnerability that names no affected component is about the SBOM's subject (null).
		const targets =
			affects.length > 0 ? affects.map((affect) => own(affect, 'ref') ?? undefined) : [null];
		for (const ref of targets) {
			if (ref !== null && typeof ref !== 'string') {
				skipped += 1;
				continue;
			}
			const path = ref === null ? subject : (refs.get(ref) ?? cleanLine(ref, limits.path));
			set.add({
				...common,
				key: findingKey(['cyclonedx', id, path]),
				location: { path, startLine: null, endLine: null }
			});
		}
	}
	return {
		format: 'cyclonedx',
		tools: set.tools,
		findings: set.findings,
		results,
		skipped,
		components: count
	};
}
