/**
 * CSV export: RFC 4180 quoting, plus the OWASP defence against formula injection, because
 * these files are opened in spreadsheets and their cells hold names people typed.
 */

/**
 * A spreadsheet runs a cell as a formula when it starts with = + - @ (tab and CR included), and
 * some read the fullwidth and small forms (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫) as those, or skip spaces, line
 * breaks and invisible characters before them: all of these are defused.
 */
const FORMULA_START =
	/^(?:[\t\r]|[\s\p{Cc}\p{Cf}]*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b])/u;
/** A field with one of these must be quoted (RFC 4180 §2.6). */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One field: text that a spreadsheet would read as a formula gets a leading apostrophe;
 * then fields with quotes, commas or line breaks are quoted with inner quotes doubled.
 * Numbers, booleans and dates are written as they are; null and undefined as empty fields.
 */
export function csvField(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (value instanceof Date) return value.toISOString();
	let text = String(value);
	if (FORMULA_START.test(text)) text = `'${text}`;
	return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to a CSV document: fields separated by commas, every record ended by CRLF. */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
	return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}
