/* eslint-disable security/detect-non-literal-fs-filename -- the key file's path comes from DATA_DIR, never from a request */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Encryption at rest for the few secrets the server must read back (TOTP keys): AES-256-GCM
 * with a key from ENCRYPTION_KEY (32 bytes as 64 hex digits or base64), else from
 * `encryption.key` in DATA_DIR, made on first use. Several instances sharing one PostgreSQL
 * database must share ENCRYPTION_KEY; a database copied without its key cannot decrypt them.
 */
const VERSION = 'v1';

let cached: { source: string; key: Buffer } | null = null;

/** Reads a key as written in ENCRYPTION_KEY or the key file; throws on anything but 32 bytes. */
export function parseKey(text: string): Buffer {
	const trimmed = text.trim();
	const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
		? Buffer.from(trimmed, 'hex')
		: Buffer.from(trimmed, 'base64');
	if (key.length !== 32) {
		throw new Error('ENCRYPTION_KEY must be 32 bytes: 64 hex digits or 44 characters of base64.');
	}
	return key;
}

/** The key in use: ENCRYPTION_KEY, else DATA_DIR/encryption.key (created with mode 0600). */
export function encryptionKey(env: NodeJS.ProcessEnv = process.env): Buffer {
	const fromEnv = env.ENCRYPTION_KEY;
	const file = path.resolve(env.DATA_DIR || './data', 'encryption.key');
	const source = fromEnv ? `env:${fromEnv}` : `file:${file}`;
	if (cached?.source === source) return cached.key;
	let key: Buffer;
	if (fromEnv) key = parseKey(fromEnv);
	else {
		try {
			key = parseKey(readFileSync(file, 'utf8'));
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
			mkdirSync(path.dirname(file), { recursive: true });
			// 'wx': two processes starting at once cannot both write a key.
			writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
			key = parseKey(readFileSync(file, 'utf8'));
		}
	}
	cached = { source, key };
	return key;
}

/** Encrypts bytes: `v1.<iv>.<tag>.<ciphertext>`, base64url each. */
export function seal(plain: Uint8Array, key = encryptionKey()): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	const body = Buffer.concat([cipher.update(plain), cipher.final()]);
	return [VERSION, iv, cipher.getAuthTag(), body]
		.map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
		.join('.');
}

/** Decrypts what `seal` made; throws when the key is not the one it was sealed with. */
export function open(sealed: string, key = encryptionKey()): Uint8Array {
	const [version, iv, tag, body] = sealed.split('.');
	if (version !== VERSION || !iv || !tag || body === undefined) {
		throw new Error('Not a sealed secret.');
	}
	const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
	decipher.setAuthTag(Buffer.from(tag, 'base64url'));
	try {
		return new Uint8Array(
			Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()])
		);
	} catch {
		throw new Error(
			'A stored secret cannot be decrypted: ENCRYPTION_KEY (or DATA_DIR/encryption.key) is not the key it was encrypted with.'
		);
	}
}
