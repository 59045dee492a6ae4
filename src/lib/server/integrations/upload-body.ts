/**
 * Reading an upload's body within its limits. A body is at most UPLOAD_LIMITS.compressedBytes as
 * sent and UPLOAD_LIMITS.bytes once decompressed; gzip is decompressed as it streams, so a gzip
 * bomb stops at the limit instead of filling the memory. The bytes of every upload being read
 * or recorded come from one pool (UploadGate): when it is spent, a new upload is answered 503
 * with Retry-After instead of taking memory the server does not have (a parsed log takes about
 * 2.5 times its size in the JavaScript heap, which `npm start` bounds at 192 MB).
 */

const MB = 1024 * 1024;

export const UPLOAD_LIMITS = {
	/** As sent (gzip or not). */
	compressedBytes: 10 * MB,
	/** Once decompressed: the JSON that is parsed. */
	bytes: 32 * MB,
	/** Decompressed bytes of every upload in flight together. */
	inFlightBytes: 32 * MB
} as const;

/** Seconds a client is asked to wait when the pool is spent. */
export const BUSY_RETRY_SECONDS = 5;

/** The pool of bytes that uploads in flight may hold. */
export class UploadGate {
	#free: number;
	constructor(readonly capacity: number) {
		this.#free = capacity;
	}
	get free(): number {
		return this.#free;
	}
	/** A share of the pool for one upload, taken as its body arrives and given back at the end. */
	lease(): { take(bytes: number): boolean; release(): void } {
		let held = 0;
		return {
			take: (bytes) => {
				if (bytes > this.#free) return false;
				this.#free -= bytes;
				held += bytes;
				return true;
			},
			release: () => {
				this.#free += held;
				held = 0;
			}
		};
	}
}

export type BodyRefusal = {
	ok: false;
	status: 400 | 413 | 415 | 503;
	message: string;
	retryAfter?: number;
};
export type BodyRead = { ok: true; text: string } | BodyRefusal;

const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;

/** Why the headers already refuse the body (content type, encoding, declared length); null if they do not. */
export function headerRefusal(request: Request, mediaTypes: readonly string[]): BodyRefusal | null {
	const type = request.headers.get('content-type')?.split(';', 1)[0]!.trim().toLowerCase() ?? '';
	if (!mediaTypes.includes(type))
		return {
			ok: false,
			status: 415,
			message: `Send the body with Content-Type ${mediaTypes.join(' or ')}${type ? `, not ${type}` : ''}.`
		};
	const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
	if (!['identity', 'gzip', 'x-gzip'].includes(encoding))
		return {
			ok: false,
			status: 415,
			message: `Send the body as it is or with Content-Encoding: gzip, not ${encoding}.`
		};
	const length = Number(request.headers.get('content-length') ?? 0);
	if (length > UPLOAD_LIMITS.compressedBytes)
		return {
			ok: false,
			status: 413,
			message: `The body is ${mb(length)}; an upload may be at most ${mb(UPLOAD_LIMITS.compressedBytes)} as sent (gzip it).`
		};
	return null;
}

/**
 * Reads the body as UTF-8 text within the limits, holding its bytes in the lease until the
 * caller releases it (the parsed log lives that long too).
 */
export async function readBody(
	request: Request,
	lease: { take(bytes: number): boolean },
	limits: { compressedBytes: number; bytes: number } = UPLOAD_LIMITS
): Promise<BodyRead> {
	if (!request.body)
		return { ok: false, status: 400, message: 'The body is empty: send the file.' };
	const gzip = /gzip/i.test(request.headers.get('content-encoding') ?? '');
	let sent = 0;
	let overSent = false;
	const counted = request.body.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				sent += chunk.byteLength;
				if (sent > limits.compressedBytes) {
					overSent = true;
					controller.error(new Error('over the limit as sent'));
				} else controller.enqueue(chunk);
			}
		})
	);
	const stream = gzip
		? counted.pipeThrough(
				new DecompressionStream('gzip') as TransformStream<Uint8Array, Uint8Array>
			)
		: counted;
	const reader = stream.getReader();
	// Decoded as it arrives, so no copy of the bytes is kept beside the text.
	const decoder = new TextDecoder('utf-8', { fatal: true });
	const parts: string[] = [];
	let total = 0;
	const stop = async (refusal: BodyRefusal): Promise<BodyRefusal> => {
		await reader.cancel().catch(() => {});
		return refusal;
	};
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			total += value.byteLength;
			if (total > limits.bytes)
				return stop({
					ok: false,
					status: 413,
					message: `The ${gzip ? 'decompressed ' : ''}body is over ${mb(limits.bytes)}, the most an upload may be.`
				});
			if (!lease.take(value.byteLength))
				return stop({
					ok: false,
					status: 503,
					message: 'The server is busy reading other uploads: try again in a few seconds.',
					retryAfter: BUSY_RETRY_SECONDS
				});
			const part = decode(decoder, value);
			if (part === null) return stop(notUtf8);
			parts.push(part);
		}
	} catch (e) {
		if (overSent || tooLargeForServer(e))
			return {
				ok: false,
				status: 413,
				message: `The body is over ${mb(limits.compressedBytes)} as sent, the most an upload may be (gzip it).`
			};
		if (gzip)
			return {
				ok: false,
				status: 400,
				message: 'The body is not valid gzip (Content-Encoding: gzip).'
			};
		throw e;
	}
	if (!total) return { ok: false, status: 400, message: 'The body is empty: send the file.' };
	const last = decode(decoder);
	if (last === null) return notUtf8;
	parts.push(last);
	return { ok: true, text: parts.join('') };
}

const notUtf8: BodyRefusal = { ok: false, status: 400, message: 'The body is not UTF-8 text.' };

/** The text of the next bytes (all of them when none are given), or null when they are not UTF-8. */
function decode(decoder: TextDecoder, bytes?: Uint8Array): string | null {
	try {
		return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
	} catch {
		return null;
	}
}

/** The server's own body limit (BODY_SIZE_LIMIT) stopped the stream. */
function tooLargeForServer(e: unknown): boolean {
	return (e as { status?: unknown } | null)?.status === 413;
}

/** The process's gate, shared by every upload route. */
export const uploadGate = new UploadGate(UPLOAD_LIMITS.inFlightBytes);
