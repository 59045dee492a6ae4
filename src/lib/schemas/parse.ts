import { z } from 'zod';

export type FieldErrors = Record<string, string>;

export type Parsed<T> =
	{ ok: true; data: T } | { ok: false; values: Record<string, string>; errors: FieldErrors };

// Never sent back to the browser after a refused submit.
const SECRET_FIELDS = /password|confirm|current|token/i;

/** Validates a submitted form; on failure returns the field messages and the values to show again, never a password. */
export function parseForm<S extends z.ZodType>(schema: S, form: FormData): Parsed<z.output<S>> {
	const raw: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key);
		raw[key] = all.length > 1 ? all : all[0]!;
	}
	const result = schema.safeParse(raw);
	if (result.success) return { ok: true, data: result.data };
	const errors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const key = issue.path.join('.') || 'form';
		errors[key] ??= issue.message;
	}
	const values: Record<string, string> = {};
	for (const [key, value] of Object.entries(raw)) {
		if (typeof value === 'string' && !SECRET_FIELDS.test(key)) values[key] = value;
	}
	return { ok: false, values, errors };
}

/** What a refused form sends back: which form, which row, the values to show again and a message per field. */
export interface FormFailure {
	action: string;
	target: string;
	values: Record<string, string>;
	errors: FieldErrors;
}

/** Builds a FormFailure; every page reads the same shape. */
export function formFailure(
	errors: FieldErrors,
	opts: { values?: Record<string, string>; action?: string; target?: string } = {}
): FormFailure {
	return {
		action: opts.action ?? '',
		target: opts.target ?? '',
		values: opts.values ?? {},
		errors
	};
}
