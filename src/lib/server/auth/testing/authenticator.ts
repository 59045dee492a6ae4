import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { RelyingParty } from '../passkeys';

/** How an assertion is made: the flags the authenticator sets, its counter, the user handle it returns. */
export interface AssertOptions {
	userVerified?: boolean;
	/** The signature counter to report (default: one more than the last). */
	counter?: number;
	/** The user handle a discoverable credential returns (the user's id as UTF-8). */
	userHandle?: string;
}

/**
 * A software authenticator for tests: an ES256 key pair and a credential id, answering
 * registrations and assertions as a browser would hand them to the server (base64url fields).
 */
export function softwareAuthenticator() {
	const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const jwk = publicKey.export({ format: 'jwk' });
	const credentialId = randomBytes(16);
	const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
	const rpHash = (rp: RelyingParty) => createHash('sha256').update(rp.id).digest();
	const clientData = (type: string, challenge: string, origin: string) =>
		Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
	let counter = 0;
	return {
		credentialId: b64(credentialId),
		register(
			rp: RelyingParty,
			challenge: string,
			origin = rp.origin,
			{ userVerified = true }: { userVerified?: boolean } = {}
		) {
			const coseKey = cbor(
				new Map<number, number | Uint8Array>([
					[1, 2],
					[3, -7],
					[-1, 1],
					[-2, Buffer.from(jwk.x!, 'base64url')],
					[-3, Buffer.from(jwk.y!, 'base64url')]
				])
			);
			const idLength = Buffer.alloc(2);
			idLength.writeUInt16BE(credentialId.length);
			const authData = Buffer.concat([
				rpHash(rp),
				// User present, user verified (0x04), credential data included.
				Buffer.from([userVerified ? 0x45 : 0x41]),
				Buffer.alloc(4),
				Buffer.alloc(16),
				idLength,
				credentialId,
				coseKey
			]);
			const attestation = cbor(
				new Map<string, CborValue>([
					['fmt', 'none'],
					['attStmt', new Map()],
					['authData', authData]
				])
			);
			return {
				attestationObject: b64(attestation),
				clientDataJSON: b64(clientData('webauthn.create', challenge, origin))
			};
		},
		assert(rp: RelyingParty, challenge: string, origin = rp.origin, options: AssertOptions = {}) {
			const count = Buffer.alloc(4);
			const reported = options.counter ?? ++counter;
			counter = Math.max(counter, reported);
			count.writeUInt32BE(reported);
			const flags = options.userVerified === false ? 0x01 : 0x05;
			const authenticatorData = Buffer.concat([rpHash(rp), Buffer.from([flags]), count]);
			const clientDataJSON = clientData('webauthn.get', challenge, origin);
			const message = Buffer.concat([
				authenticatorData,
				createHash('sha256').update(clientDataJSON).digest()
			]);
			return {
				credentialId: b64(credentialId),
				authenticatorData: b64(authenticatorData),
				clientDataJSON: b64(clientDataJSON),
				signature: b64(sign('sha256', message, { key: privateKey, dsaEncoding: 'der' })),
				userHandle: b64(Buffer.from(options.userHandle ?? ''))
			};
		}
	};
}

type CborValue = number | string | Uint8Array | Map<number | string, CborValue>;

/** The little CBOR a registration needs: integers, text, byte strings and maps. */
function cbor(value: CborValue): Buffer {
	const head = (major: number, n: number) =>
		n < 24
			? Buffer.from([(major << 5) | n])
			: n < 256
				? Buffer.from([(major << 5) | 24, n])
				: Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
	if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
	if (typeof value === 'string') {
		const text = Buffer.from(value);
		return Buffer.concat([head(3, text.length), text]);
	}
	if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
	const parts: Uint8Array[] = [head(5, value.size)];
	for (const [k, v] of value) parts.push(cbor(k), cbor(v));
	return Buffer.concat(parts);
}
