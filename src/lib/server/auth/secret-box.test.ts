import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encryptionKey, open, parseKey, seal } from './secret-box';

describe('secrets encrypted at rest', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'rampart-secret-box-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	const plain = new TextEncoder().encode('a TOTP key of twenty');

	it('reads ENCRYPTION_KEY as 64 hex digits or base64 of 32 bytes, nothing else', () => {
		expect(parseKey('0f'.repeat(32))).toHaveLength(32);
		expect(parseKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
		expect(() => parseKey('too short')).toThrow(/32 bytes/);
	});

	it('seals with a fresh nonce each time and opens with the same key', () => {
		const key = parseKey('11'.repeat(32));
		const a = seal(plain, key);
		expect(a).toMatch(/^v1\./);
		expect(a).not.toBe(seal(plain, key));
		expect(open(a, key)).toEqual(plain);
	});

	it('refuses another key, and a tampered secret', () => {
		const sealed = seal(plain, parseKey('11'.repeat(32)));
		expect(() => open(sealed, parseKey('22'.repeat(32)))).toThrow(/not the key/);
		const parts = sealed.split('.');
		parts[3] = Buffer.from('tampered').toString('base64url');
		expect(() => open(parts.join('.'), parseKey('11'.repeat(32)))).toThrow();
	});

	it('without ENCRYPTION_KEY, makes DATA_DIR/encryption.key once, readable by its owner only', () => {
		const env = { DATA_DIR: dir };
		const key = encryptionKey(env);
		const file = path.join(dir, 'encryption.key');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(parseKey(readFileSync(file, 'utf8'))).toEqual(key);
		expect(encryptionKey(env)).toEqual(key);
		// ENCRYPTION_KEY wins over the file.
		expect(encryptionKey({ ...env, ENCRYPTION_KEY: '33'.repeat(32) })).toEqual(
			parseKey('33'.repeat(32))
		);
	});
});
