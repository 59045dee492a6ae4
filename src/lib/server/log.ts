/**
 * The server's log: one line of JSON per event. Every value is JSON-escaped, so a line break or
 * control character in a path, an email or an error message cannot start a line of its own or
 * rewrite the terminal: what a visitor typed never passes for a log entry.
 *
 * LOG_LEVEL (error, warn, info, debug; info unless set) drops the less important events;
 * LOG_FORMAT (json or pretty) picks the line's form, pretty by default only when standard output
 * is a terminal: a person reads it there, a log collector everywhere else.
 */

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogFormat = 'json' | 'pretty';
export type LogFields = Record<string, unknown>;

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];
const FORMATS: readonly LogFormat[] = ['json', 'pretty'];

// JSON.stringify leaves these as they are: C1 controls (some terminals act on them), the line and
// paragraph separators (line breaks to some log readers) and direction overrides (which make a
// line read differently from what it holds).
const UNESCAPED_BY_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** An error as data: name, message, stack, its own fields (a database error's code) and its cause. */
function errorFields(e: Error): Record<string, unknown> {
	return { ...e, name: e.name, message: e.message, stack: e.stack, cause: e.cause };
}

function replacer(_key: string, value: unknown): unknown {
	if (value instanceof Error) return errorFields(value);
	if (typeof value === 'bigint') return value.toString();
	return value;
}

function toJson(value: unknown): string {
	let text: string | undefined;
	try {
		text = JSON.stringify(value, replacer);
	} catch {
		// A cycle or a throwing getter: the value's text is still worth having.
		text = JSON.stringify(String(value));
	}
	return (text ?? 'null').replace(
		UNESCAPED_BY_JSON,
		(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
	);
}

/** The line logged for an event: time, level, message and fields, each JSON-escaped. */
export function logLine(
	level: LogLevel,
	message: string,
	fields: LogFields = {},
	now = new Date()
): string {
	const parts = [`"time":${toJson(now.toISOString())}`, `"level":"${level}"`];
	parts.push(`"msg":${toJson(message)}`);
	// Field by field, so one value that cannot be written does not lose the others.
	for (const [key, value] of Object.entries(fields)) {
		if (value !== undefined) parts.push(`${toJson(key)}:${toJson(value)}`);
	}
	return `{${parts.join(',')}}`;
}

/** Words that need no quotes in a pretty line: nothing a terminal or a reader could take amiss. */
const BARE = /^[\w./:@[\]()+-]+$/;

/** A value in a pretty line: bare when plain, JSON-escaped (quoted) otherwise. */
function prettyValue(value: unknown): string {
	if (typeof value === 'string') return BARE.test(value) ? value : toJson(value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return toJson(value);
}

/**
 * The same event for a person at a terminal: `08:00:00.000 INFO  message key=value …`, still one
 * line with every value escaped (an error's stack included, as JSON).
 */
export function prettyLine(
	level: LogLevel,
	message: string,
	fields: LogFields = {},
	now = new Date()
): string {
	// The message escaped as in JSON, without its quotes: it is ours, and reads as a sentence.
	const parts = [
		now.toISOString().slice(11, 23),
		level.toUpperCase().padEnd(5),
		toJson(message).slice(1, -1)
	];
	for (const [key, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		const name = BARE.test(key) ? key : toJson(key);
		parts.push(`${name}=${prettyValue(value)}`);
	}
	return parts.join(' ');
}

export interface LogSettings {
	level: LogLevel;
	format: LogFormat;
}

/** Reads LOG_LEVEL and LOG_FORMAT; a value it does not know stops the server with its name. */
export function logSettings(
	env: Record<string, string | undefined>,
	isTerminal: boolean
): LogSettings {
	const read = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
		const raw = env[name]?.trim().toLowerCase();
		if (!raw) return fallback;
		if (!(allowed as readonly string[]).includes(raw))
			throw new Error(`${name} must be one of ${allowed.join(', ')}, not "${env[name]}".`);
		return raw as T;
	};
	return {
		level: read('LOG_LEVEL', LEVELS, 'info'),
		format: read('LOG_FORMAT', FORMATS, isTerminal ? 'pretty' : 'json')
	};
}

let settings: LogSettings = { level: 'info', format: 'json' };
try {
	settings = logSettings(process.env, Boolean(process.stdout?.isTTY));
} catch {
	// The server's init checks the settings again and stops there with the message.
}

/** Applies settings (the server's init, with LOG_LEVEL and LOG_FORMAT; tests). */
export function configureLog(next: LogSettings): void {
	settings = next;
}

/** Whether events of `level` are written under the current LOG_LEVEL. */
export function logs(level: LogLevel): boolean {
	return LEVELS.indexOf(level) <= LEVELS.indexOf(settings.level);
}

function write(level: LogLevel, message: string, fields?: LogFields) {
	if (!logs(level)) return;
	const line =
		settings.format === 'pretty'
			? prettyLine(level, message, fields)
			: logLine(level, message, fields);
	if (level === 'error') console.error(line);
	else if (level === 'warn') console.warn(line);
	else if (pending.push(line) === 1) setImmediate(flushLog);
}

/**
 * Information lines waiting for the end of this turn of the event loop, then written together:
 * standard output to a pipe or file is written synchronously, one system call per console.log,
 * which with a line per request cost a busy server about 0.3 ms of CPU per request.
 */
let pending: string[] = [];

/** Writes the information lines still waiting (done by itself after each turn, and at exit). */
export function flushLog(): void {
	if (!pending.length) return;
	const text = `${pending.join('\n')}\n`;
	pending = [];
	process.stdout.write(text);
}

process.once('exit', flushLog);

/** Writes events to standard error (errors, warnings) or standard output (information, debug). */
export const log = {
	error: (message: string, fields?: LogFields) => write('error', message, fields),
	warn: (message: string, fields?: LogFields) => write('warn', message, fields),
	info: (message: string, fields?: LogFields) => write('info', message, fields),
	debug: (message: string, fields?: LogFields) => write('debug', message, fields)
};
