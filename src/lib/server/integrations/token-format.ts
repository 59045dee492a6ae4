import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/**
 * A team API token: `rampart_pat_`, 32 characters of base32 (160 bits from the CSPRNG) and 8 of
 * checksum (the first 40 bits of the SHA-256 of what comes before). The prefix lets secret
 * scanners spot a leaked one; the checksum lets them, and this server, tell a token from a
 * look-alike without asking the database.
 */
export const TOKEN_PREFIX = 'rampart_pat_';
const BODY_LENGTH = 32;
const CHECK_LENGTH = 8;
/** How many characters of the body are shown (and stored) to tell tokens apart. */
const SHOWN_LENGTH = 8;
const SHAPE = new RegExp(`^${TOKEN_PREFIX}[a-z2-7]{${BODY_LENGTH + CHECK_LENGTH}}$`);

const encoder = new TextEncoder();

function checksum(text: string): string {
	return encodeBase32LowerCaseNoPadding(sha256(encoder.encode(text)).slice(0, 5));
}

/** A new token, its stored hash and the prefix shown in lists. */
export function generateToken(): { token: string; hash: string; prefix: string } {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	const head = TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
	const token = head + checksum(head);
	return { token, hash: hashToken(token), prefix: shownPrefix(token) };
}

/** The stored form of a token: SHA-256, hex. A token has 160 random bits, so no slow hash is needed. */
export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(encoder.encode(token)));
}

/** The start of a token that lists show: the prefix and the first characters of the body. */
export function shownPrefix(token: string): string {
	return token.slice(0, TOKEN_PREFIX.length + SHOWN_LENGTH);
}

/** Whether text has the shape of a token and its checksum matches. */
export function isWellFormedToken(text: string): boolean {
	if (!SHAPE.test(text)) return false;
	const head = text.slice(0, -CHECK_LENGTH);
	return checksum(head) === text.slice(-CHECK_LENGTH);
}

/** The token in an `Authorization: Bearer …` header, or null when there is no such header. */
export function bearerToken(header: string | null): string | null {
	if (!header) return null;
	const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
	return match ? match[1]! : null;
}
