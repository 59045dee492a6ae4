/** Whether a database error is a unique-constraint violation (SQLSTATE 23505), on PGlite or PostgreSQL. */
export function isUniqueViolation(e: unknown): boolean {
	return sqlState(e) === '23505';
}

function sqlState(e: unknown): string | undefined {
	let cur: unknown = e;
	for (let depth = 0; cur && depth < 4; depth++) {
		const code = (cur as { code?: unknown }).code;
		if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
		cur = (cur as { cause?: unknown }).cause;
	}
	return undefined;
}

/**
 * Whether a write failed because the database's storage is full (SQLSTATE 53100 disk_full, or
 * the operating system's ENOSPC / EDQUOT): reads still work, so the server keeps serving them.
 */
export function isStorageFull(e: unknown): boolean {
	let cur: unknown = e;
	for (let depth = 0; cur && depth < 4; depth++) {
		const code = (cur as { code?: unknown }).code;
		if (code === '53100' || code === 'ENOSPC' || code === 'EDQUOT') return true;
		const message = (cur as { message?: unknown }).message;
		if (typeof message === 'string' && /No space left on device|Disk quota exceeded/i.test(message))
			return true;
		cur = (cur as { cause?: unknown }).cause;
	}
	return false;
}

/** Whether an error means the database cannot be reached or has gone away, rather than a bad query. */
export function isDatabaseUnavailable(e: unknown): boolean {
	if (isStorageFull(e)) return false;
	let cur: unknown = e;
	for (let depth = 0; cur && depth < 4; depth++) {
		const code = (cur as { code?: unknown }).code;
		if (typeof code === 'string') {
			if (
				[
					'ECONNREFUSED',
					'ECONNRESET',
					'ETIMEDOUT',
					'CONNECTION_CLOSED',
					'CONNECTION_ENDED',
					'CONNECTION_DESTROYED',
					'CONNECT_TIMEOUT'
				].includes(code)
			)
				return true;
			// Class 08 (connection exception), 53 (insufficient resources), 57P (operator intervention).
			if (/^(08|53|57P)/.test(code)) return true;
		}
		const message = (cur as { message?: unknown }).message;
		if (
			typeof message === 'string' &&
			// The last: PostgreSQL's answer for a database closed to connections (ALTER DATABASE … ALLOW_CONNECTIONS false).
			/PGlite is closed|database has not been started|is not currently accepting connections/i.test(
				message
			)
		)
			return true;
		cur = (cur as { cause?: unknown }).cause;
	}
	return false;
}
