import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import { trackProgress } from './completion';
import { learnerProgress } from './progress';
import type { Training } from './types';

/** 160 random bits in lower-case base32: 32 characters, unguessable. */
export const CERTIFICATE_ID = /^[a-z2-7]{32}$/;

/** A new certificate id: 20 bytes from the system's secure random source. */
export function newCertificateId(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export interface IssuedCertificate {
	id: string;
	trackId: string;
	trackTitle: string;
}

/**
 * Issues a certificate for every track the learner has now completed and holds none for;
 * call it inside the transaction that recorded their progress. Returns the new ones.
 */
export async function issueEarnedCertificates(
	tx: Tx,
	training: Training,
	learner: { id: string; name: string },
	ip = ''
): Promise<IssuedCertificate[]> {
	const progress = await learnerProgress(tx, training, learner.id);
	const earned = training.tracks.filter((t) => trackProgress(t, progress).complete);
	if (!earned.length) return [];
	const held = new Set(
		(
			await tx
				.select({ trackId: table.certificate.trackId })
				.from(table.certificate)
				.where(eq(table.certificate.userId, learner.id))
		).map((r) => r.trackId)
	);
	const issued: IssuedCertificate[] = [];
	for (const track of earned.filter((t) => !held.has(t.id))) {
		const [row] = await tx
			.insert(table.certificate)
			.values({
				id: newCertificateId(),
				userId: learner.id,
				trackId: track.id,
				holderName: learner.name,
				trackTitle: track.title
			})
			// Two requests finishing the same track at once: the first one's certificate stands.
			.onConflictDoNothing()
			.returning({ id: table.certificate.id });
		if (!row) continue;
		await audit(tx, {
			actorId: learner.id,
			action: 'training.certificate_issued',
			targetType: 'certificate',
			targetId: row.id,
			detail: { track: track.id },
			ip
		});
		issued.push({ id: row.id, trackId: track.id, trackTitle: track.title });
	}
	return issued;
}

/** What the public verification page shows of a certificate, and nothing more; null if unknown. */
export async function verifyCertificate(db: Tx, id: string) {
	if (!CERTIFICATE_ID.test(id)) return null;
	const [row] = await db
		.select({
			holderName: table.certificate.holderName,
			trackTitle: table.certificate.trackTitle,
			issuedAt: table.certificate.issuedAt
		})
		.from(table.certificate)
		.where(eq(table.certificate.id, id));
	return row ?? null;
}

/** The certificates a learner holds, oldest first. */
export function learnerCertificates(db: Tx, userId: string) {
	return db
		.select({
			id: table.certificate.id,
			trackId: table.certificate.trackId,
			trackTitle: table.certificate.trackTitle,
			holderName: table.certificate.holderName,
			issuedAt: table.certificate.issuedAt
		})
		.from(table.certificate)
		.where(eq(table.certificate.userId, userId))
		.orderBy(asc(table.certificate.issuedAt));
}

/** The learner's certificate for one track, if they hold it. */
export async function learnerCertificate(db: Tx, userId: string, trackId: string) {
	const [row] = await db
		.select({
			id: table.certificate.id,
			trackTitle: table.certificate.trackTitle,
			holderName: table.certificate.holderName,
			issuedAt: table.certificate.issuedAt
		})
		.from(table.certificate)
		.where(and(eq(table.certificate.userId, userId), eq(table.certificate.trackId, trackId)));
	return row ?? null;
}

const longDate = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	timeZone: 'UTC'
});

/** The issue date as printed on a certificate, e.g. "23 November 2026". */
export function formatIssuedOn(issuedAt: Date): string {
	return longDate.format(issuedAt);
}
