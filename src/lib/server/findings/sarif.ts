import { FindingSet, findingKey } from './finding-set';
import { resultLocation, runFiles, type RunFiles } from './sarif-location';
import {
	ScanFormatError,
	type ReportedFinding,
	type ScanReport,
	type ScannedTool
} from './scan-report';
import { severityFromLevel, severityFromScore, severityFromWord } from './severity';
import { cleanLine, cleanText, limits, list, own, record } from './untrusted-text';

type Json = Record<string, unknown>;

/** A tool component (the driver or an extension) with its rules looked up by id once per run. */
interface Component {
	json: Json | null;
	rules: unknown[];
	byId: Map<string, Json>;
}

interface Run {
	tool: ScannedTool;
	driver: Component;
	extensions: Component[];
	files: RunFiles;
}

function component(json: Json | null): Component {
	const rules = list(own(json, 'rules'));
	const byId = new Map<string, Json>();
	for (const rule of rules) {
		const id = own(rule, 'id');
		if (typeof id === 'string' && !byId.has(id)) byId.set(id, rule as Json);
	}
	return { json, rules, byId };
}

function text(value: unknown): string | null {
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function readRun(json: Json, checkout: string | null): Run {
	const tool = record(own(json, 'tool'));
	const driver = record(own(tool, 'driver'));
	return {
		tool: {
			name: cleanLine(own(driver, 'name'), limits.toolName) ?? 'unknown',
			version:
				cleanLine(text(own(driver, 'version')), limits.toolVersion) ??
				cleanLine(text(own(driver, 'semanticVersion')), limits.toolVersion)
		},
		driver: component(driver),
		extensions: list(own(tool, 'extensions')).map((e) => component(record(e))),
		files: runFiles(json, checkout)
	};
}

/** The component a `toolComponent` reference names: by index into the extensions, guid or name. */
function referencedComponent(run: Run, reference: unknown): Component {
	const index = own(reference, 'index');
	if (typeof index === 'number' && run.extensions[index]) return run.extensions[index];
	for (const key of ['guid', 'name']) {
		const wanted = own(reference, key);
		if (typeof wanted !== 'string') continue;
		if (own(run.driver.json, key) === wanted) return run.driver;
		const found = run.extensions.find((e) => own(e.json, key) === wanted);
		if (found) return found;
	}
	return run.driver;
}

/** The rule a result reports, by `rule` reference or `ruleIndex`, else by id (hierarchical ids too). */
function resultRule(run: Run, result: Json, ruleId: string | null) {
	const reference = record(own(result, 'rule'));
	const toolComponent = own(reference, 'toolComponent');
	const home = toolComponent === undefined ? run.driver : referencedComponent(run, toolComponent);
	const index = own(reference, 'index') ?? own(result, 'ruleIndex');
	const indexed = typeof index === 'number' ? record(home.rules[index]) : null;
	const indexedId = own(indexed, 'id');
	if (indexed && (ruleId === null || indexedId === ruleId || ruleId.startsWith(`${indexedId}/`))) {
		return { rule: indexed, home };
	}
	if (ruleId === null) return { rule: null, home };
	// "C2001/1" is a sub-rule of C2001 (SARIF §3.27.5).
	const ids = ruleId.includes('/') ? [ruleId, ruleId.slice(0, ruleId.indexOf('/'))] : [ruleId];
	for (const id of ids) {
		for (const candidate of [home, run.driver, ...run.extensions]) {
			const rule = candidate.byId.get(id);
			if (rule) return { rule, home: candidate };
		}
	}
	return { rule: null, home };
}

/** `security-severity` as a score or, as Semgrep writes it, a word; else the level SARIF implies. */
function resultSeverity(result: Json, rule: Json | null) {
	const stated = own(own(rule, 'properties'), 'security-severity');
	const fromProperty = severityFromScore(stated) ?? severityFromWord(stated);
	if (fromProperty) return fromProperty;
	const level = severityFromLevel(own(result, 'level'));
	if (level) return level;
	// SARIF §3.27.10: a result whose kind is not "fail" has level "none" unless it says otherwise.
	const kind = own(result, 'kind');
	if (kind !== undefined && kind !== 'fail') return 'none';
	return severityFromLevel(own(own(rule, 'defaultConfiguration'), 'level')) ?? 'medium';
}

function messageString(id: string, ...holders: unknown[]): unknown {
	for (const holder of holders) {
		const found = own(holder, id);
		const value = own(found, 'text') ?? own(found, 'markdown');
		if (typeof value === 'string') return value;
	}
	return null;
}

/** The result's message: its text, or a message string by id, with {0}-style arguments filled in. */
function resultMessage(result: Json, rule: Json | null, home: Component, run: Run): string | null {
	const message = record(own(result, 'message'));
	let template = own(message, 'text') ?? own(message, 'markdown');
	const id = own(message, 'id');
	if (typeof template !== 'string' && typeof id === 'string') {
		const global = (c: Component) => own(c.json, 'globalMessageStrings');
		template = messageString(id, own(rule, 'messageStrings'), global(home), global(run.driver));
	}
	if (typeof template !== 'string') return null;
	const args = list(own(message, 'arguments'))
		.slice(0, 100)
		.map((a) => (text(a) ?? '').slice(0, 1_000));
	let filled = template.slice(0, limits.message * 2);
	if (args.length > 0) {
		filled = filled.replace(/\{\{|\}\}|\{(\d{1,3})\}/g, (all, n: string | undefined) =>
			all === '{{' ? '{' : all === '}}' ? '}' : (args[Number(n)] ?? all)
		);
	}
	return cleanText(filled, limits.message);
}

function description(rule: Json | null, key: string): unknown {
	return own(own(rule, key), 'text');
}

function resultSuppression(result: Json): ReportedFinding['suppressed'] {
	for (const suppression of list(own(result, 'suppressions')).slice(0, 100)) {
		if (!record(suppression)) continue;
		// `state` is how some tools (and the spec's own appendix K) spell `status`.
		const status = own(suppression, 'status') ?? own(suppression, 'state');
		if (status === undefined || status === null || status === 'accepted') {
			return {
				kind: cleanLine(own(suppression, 'kind'), limits.suppressionKind) ?? 'unspecified',
				justification: cleanText(own(suppression, 'justification'), limits.justification)
			};
		}
	}
	return null;
}

/** The tool's fingerprints as sorted "f:name=value" / "p:name=value" entries. */
function fingerprints(result: Json): string[] {
	const entries: string[] = [];
	for (const [prefix, key] of [
		['f', 'fingerprints'],
		['p', 'partialFingerprints']
	] as const) {
		for (const [name, value] of Object.entries(record(own(result, key)) ?? {}).slice(0, 50)) {
			const v = text(value);
			if (v !== null) entries.push(`${prefix}:${name.slice(0, 200)}=${v.slice(0, 1_000)}`);
		}
	}
	return entries.sort();
}

function readResult(run: Run, result: Json): ReportedFinding {
	const ruleId = cleanLine(
		text(own(result, 'ruleId')) ?? text(own(own(result, 'rule'), 'id')),
		limits.ruleId
	);
	const { rule, home } = resultRule(run, result, ruleId);
	const id = ruleId ?? cleanLine(own(rule, 'id'), limits.ruleId) ?? '';
	const location = resultLocation(result, run.files);
	const message =
		resultMessage(result, rule, home, run) ??
		cleanText(
			description(rule, 'shortDescription') ?? description(rule, 'fullDescription'),
			limits.message
		) ??
		id;
	const help = own(rule, 'help');
	const tool = run.tool;
	const prints = fingerprints(result);
	const key =
		prints.length > 0
			? findingKey(['sarif-fingerprints', tool.name, id, location.path, ...prints])
			: findingKey([
					'sarif',
					tool.name,
					id,
					location.path,
					location.startLine,
					message.replace(/\s+/g, ' ')
				]);
	return {
		key,
		tool,
		ruleId: id,
		ruleName:
			cleanLine(description(rule, 'shortDescription'), limits.ruleName) ??
			cleanLine(own(rule, 'name'), limits.ruleName),
		severity: resultSeverity(result, rule),
		message,
		help:
			cleanText(own(help, 'markdown'), limits.help) ?? cleanText(own(help, 'text'), limits.help),
		location,
		suppressed: resultSuppression(result)
	};
}

function versionProblem(version: unknown): string {
	if (version === undefined) return 'it has no "version"';
	if (typeof version !== 'string' && typeof version !== 'number')
		return '"version" is not a string';
	return `version is ${cleanLine(String(version), 40) ?? '""'}`;
}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return `a ${typeof value}`;
}

/**
 * Reads a SARIF 2.1.0 log: every run's tool and results, as findings keyed for tracking across
 * uploads. Throws ScanFormatError only when the body is not a SARIF 2.1.0 log at all; a result
 * that cannot be read is counted in `skipped`, never thrown.
 */
export function readSarif(log: unknown, options: SarifOptions = {}): ScanReport {
	const reading = sarifReading(log, options);
	for (;;) {
		const step = reading.next();
		if (step.done) return step.value;
	}
}

/**
 * readSarif for the upload route: the same reading, pausing every few hundred results so that
 * other people's requests are served while a 10,000-result log is read.
 */
export async function readSarifPausing(
	log: unknown,
	options: SarifOptions = {}
): Promise<ScanReport> {
	const reading = sarifReading(log, options);
	for (;;) {
		const step = reading.next();
		if (step.done) return step.value;
		await new Promise((resolve) => setImmediate(resolve));
	}
}

/** Results read between two pauses of readSarifPausing (about 5 ms of work). */
const RESULTS_PER_STEP = 300;

/** What the upload says about the log beside it. */
export interface SarifOptions {
	/** The absolute directory the repository was checked out in, for tools that write absolute paths. */
	checkout?: string | null;
}

function* sarifReading(log: unknown, options: SarifOptions): Generator<void, ScanReport> {
	const root = record(log);
	if (!root)
		throw new ScanFormatError(`not a SARIF 2.1.0 log: expected a JSON object, got ${kindOf(log)}`);
	const version = own(root, 'version');
	if (version !== '2.1.0')
		throw new ScanFormatError(`not a SARIF 2.1.0 log: ${versionProblem(version)}`);
	const runs = own(root, 'runs');
	if (!Array.isArray(runs)) {
		throw new ScanFormatError(
			runs === undefined
				? 'not a SARIF 2.1.0 log: it has no "runs"'
				: `not a SARIF 2.1.0 log: "runs" is ${kindOf(runs)}, not an array`
		);
	}
	const set = new FindingSet();
	let results = 0;
	let skipped = 0;
	for (const entry of runs) {
		const json = record(entry);
		if (!json) continue;
		const entries = list(own(json, 'results'));
		results += entries.length;
		let run: Run;
		try {
			run = readRun(json, options.checkout ?? null);
		} catch {
			skipped += entries.length;
			continue;
		}
		set.addTool(run.tool);
		for (const [i, item] of entries.entries()) {
			if (i % RESULTS_PER_STEP === RESULTS_PER_STEP - 1) yield;
			const result = record(item);
			const kind = own(result, 'kind');
			if (!result || kind === 'pass' || kind === 'notApplicable') {
				skipped += 1;
				continue;
			}
			try {
				set.add(readResult(run, result));
			} catch {
				// Only a value JSON cannot hold (a throwing getter) gets here; the rest of the log still counts.
				skipped += 1;
			}
		}
	}
	return {
		format: 'sarif',
		tools: set.tools,
		findings: set.findings,
		results,
		skipped,
		components: null
	};
}
