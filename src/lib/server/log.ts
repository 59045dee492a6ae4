/**
 * The server's log: one line of JSON per event. Every value is JSON-escaped, so a line break or
 * control character in a path, an email or an error message cannot start a line of its own or
 * rewrite the terminal: what a visitor typed never passes for a log entry.
 */

export type LogLevel = 'error' | 'warn' | 'info';
export type LogFields = Record<string, unknown>;

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

/** Writes events to standard error (errors, warnings) or standard output (information). */
export const log = {
	error: (message: string, fields?: LogFields) => console.error(logLine('error', message, fields)),
	warn: (message: string, fields?: LogFields) => console.warn(logLine('warn', message, fields)),
	info: (message: string, fields?: LogFields) => console.log(logLine('info', message, fields))
};
