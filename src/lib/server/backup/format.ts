/* eslint-disable security/detect-non-literal-fs-filename -- paths come from the command line of the operator's own CLI or DATA_DIR, never from a request */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { SchemaVersion } from './schema-version';

/**
 * A backup file is one line naming the format, one line of JSON describing the backup, then the
 * database's own dump: PGlite's data directory as a gzipped tarball, or pg_dump's custom format.
 * The description carries the payload's length and SHA-256, so a truncated or damaged file is
 * refused before anything is changed.
 */
const MAGIC = 'RAMPART-BACKUP 1\n';
const MAX_HEADER = 4096;

export type BackupKind = 'pglite' | 'postgres';

export interface BackupHeader {
	kind: BackupKind;
	/** The last migration applied to the database when it was backed up. */
	schema: SchemaVersion;
	createdAt: string;
	payloadBytes: number;
	sha256: string;
}

/** A problem the operator can act on: the CLI prints the message alone. */
export class BackupError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BackupError';
	}
}

export type Payload = { bytes: Uint8Array } | { file: string };

/** Writes the backup to `out` (refusing to overwrite a file), readable by its owner only. */
export async function writeBackup(
	out: string,
	kind: BackupKind,
	schema: SchemaVersion,
	payload: Payload
): Promise<BackupHeader> {
	const { size, sha256 } =
		'bytes' in payload
			? {
					size: payload.bytes.byteLength,
					sha256: createHash('sha256').update(payload.bytes).digest('hex')
				}
			: await digestFile(payload.file);
	const header: BackupHeader = {
		kind,
		schema,
		createdAt: new Date().toISOString(),
		payloadBytes: size,
		sha256
	};
	const part = `${out}.part`;
	try {
		await stat(out);
		throw new BackupError(`${out} already exists; choose another file name.`);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
	}
	const stream = createWriteStream(part, { flags: 'wx', mode: 0o600 });
	try {
		await pipeline(async function* () {
			yield Buffer.from(MAGIC + JSON.stringify(header) + '\n');
			if ('bytes' in payload) yield payload.bytes;
			else yield* createReadStream(payload.file);
		}, stream);
		await syncFile(part);
		await rename(part, out);
	} catch (e) {
		await rm(part, { force: true });
		throw e;
	}
	return header;
}

/** Reads and checks a backup's description, length and checksum; the payload starts at `offset`. */
export async function readBackup(file: string): Promise<{ header: BackupHeader; offset: number }> {
	let size: number;
	let head: Buffer;
	try {
		const handle = await open(file, 'r');
		try {
			size = (await handle.stat()).size;
			head = Buffer.alloc(Math.min(size, MAX_HEADER));
			await handle.read(head, 0, head.length, 0);
		} finally {
			await handle.close();
		}
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new BackupError(`${file} does not exist.`);
		if (code === 'EISDIR') throw new BackupError(`${file} is a directory, not a backup file.`);
		throw e;
	}
	const notBackup = `${file} is not a Rampart backup (made by npm run backup).`;
	if (!head.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) throw new BackupError(notBackup);
	const end = head.indexOf(0x0a, MAGIC.length);
	if (end < 0)
		throw new BackupError(`${file} is damaged or truncated: its description is cut off.`);
	const header = parseHeader(head.subarray(MAGIC.length, end).toString('utf8'));
	if (!header) throw new BackupError(`${file} is damaged: its description cannot be read.`);
	const offset = end + 1;
	const actual = size - offset;
	if (actual < header.payloadBytes) {
		throw new BackupError(
			`${file} is truncated: it holds ${actual} of the ${header.payloadBytes} bytes of its database dump. ` +
				'Nothing was restored; use another copy of the backup.'
		);
	}
	if (actual > header.payloadBytes) {
		throw new BackupError(
			`${file} is damaged: it has ${actual - header.payloadBytes} bytes more than its dump. Nothing was restored.`
		);
	}
	const { sha256 } = await digestFile(file, offset);
	if (sha256 !== header.sha256) {
		throw new BackupError(
			`${file} is damaged: its content does not match its checksum. Nothing was restored; use another copy of the backup.`
		);
	}
	return { header, offset };
}

/** The payload of a checked backup as a stream (for pg_restore) or bytes (for PGlite). */
export function payloadStream(file: string, offset: number): Readable {
	return createReadStream(file, { start: offset });
}

export async function payloadBytes(file: string, offset: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of payloadStream(file, offset)) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function parseHeader(text: string): BackupHeader | undefined {
	try {
		const h = JSON.parse(text) as Partial<BackupHeader>;
		if (
			(h.kind === 'pglite' || h.kind === 'postgres') &&
			typeof h.createdAt === 'string' &&
			Number.isSafeInteger(h.payloadBytes) &&
			typeof h.sha256 === 'string' &&
			typeof h.schema?.when === 'number' &&
			(typeof h.schema.tag === 'string' || h.schema.tag === null)
		) {
			return h as BackupHeader;
		}
	} catch {
		// falls through to undefined
	}
	return undefined;
}

async function digestFile(file: string, start = 0): Promise<{ size: number; sha256: string }> {
	const hash = createHash('sha256');
	let size = 0;
	for await (const chunk of createReadStream(file, { start })) {
		hash.update(chunk as Buffer);
		size += (chunk as Buffer).length;
	}
	return { size, sha256: hash.digest('hex') };
}

async function syncFile(file: string): Promise<void> {
	const handle = await open(file, 'r+');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}
