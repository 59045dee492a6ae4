import { describe, expect, it } from 'vitest';
import {
	TOKEN_PREFIX,
	bearerToken,
	generateToken,
	hashToken,
	isWellFormedToken,
	shownPrefix
} from './token-format';

describe('team API token format', () => {
	it('has the recognisable prefix, 160 random bits and a checksum', () => {
		const { token, hash, prefix } = generateToken();
		expect(token).toMatch(/^rampart_pat_[a-z2-7]{40}$/);
		expect(isWellFormedToken(token)).toBe(true);
		expect(hash).toBe(hashToken(token));
		expect(hash).toMatch(/^[0-9a-f]{64}$/);
		expect(prefix).toBe(token.slice(0, TOKEN_PREFIX.length + 8));
		expect(shownPrefix(token)).toBe(prefix);
		expect(generateToken().token).not.toBe(token);
	});

	it('refuses a token with one character changed, a wrong prefix or length', () => {
		const { token } = generateToken();
		const last = token.at(-1) === 'a' ? 'b' : 'a';
		expect(isWellFormedToken(token.slice(0, -1) + last)).toBe(false);
		const body = token.at(20) === 'a' ? 'b' : 'a';
		expect(isWellFormedToken(token.slice(0, 20) + body + token.slice(21))).toBe(false);
		expect(isWellFormedToken(token.replace('rampart_pat_', 'rampart_pak_'))).toBe(false);
		expect(isWellFormedToken(token + 'a')).toBe(false);
		expect(isWellFormedToken(token.toUpperCase())).toBe(false);
		expect(isWellFormedToken('')).toBe(false);
	});

	it('reads the bearer token from the header and nothing else', () => {
		expect(bearerToken('Bearer abc')).toBe('abc');
		expect(bearerToken('bearer   abc ')).toBe('abc');
		expect(bearerToken(null)).toBeNull();
		expect(bearerToken('Basic abc')).toBeNull();
		expect(bearerToken('Bearer')).toBeNull();
		expect(bearerToken('Bearer a b')).toBeNull();
	});
});
