import { describe, expect, it } from 'vitest';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { recordUpload, type Upload } from './record';
import { BATCH } from './record-findings';
import { AnalysisBusyError, claimAnalyses, releaseAnalyses, untilClaimed } from './recording-claim';
import type { ReportedFinding } from './scan-report';
import { report, reported } from './testing/findings-fixture';

/*
 * A default-branch upload is recorded in several short statements under a claim on its
 * analyses: two uploads of one analysis at once must still count and close findings as if one
 * came after the other, an abandoned claim must not block the analysis for ever, and a write
 * that fails half-way must leave no scan and no claim behind.
 */

describe('recording an upload under a claim on its analyses', () => {
	const t = testOrganisation();
	const upload = (repository: string, findings: ReportedFinding[]): Upload => ({
		teamId: t.org.team('alpha'),
		tokenId: null,
		repository,
		ref: 'main',
		commit: null,
		category: null,
		report: report(findings)
	});
	const keys = (from: number, to: number) =>
		Array.from({ length: to - from }, (_, i) => reported(`k${from + i}`));
	const openKeys = async (repository: string) => {
		const rows = await t.db
			.select({ key: table.finding.key })
			.from(table.finding)
			.innerJoin(table.codeRepository, eq(table.codeRepository.id, table.finding.repositoryId))
			.where(and(eq(table.codeRepository.name, repository), eq(table.finding.state, 'open')));
		return new Set(rows.map((r) => r.key));
	};
	const claimed = async () =>
		(
			await t.db
				.select({ id: table.analysis.id })
				.from(table.analysis)
				.where(isNotNull(table.analysis.recordingUploadId))
		).length;

	it('two uploads of one analysis at once: the second counts against what the first wrote', async () => {
		// Several batches each, overlapping by half: interleaved writes would count the overlap
		// as new twice and fix nothing.
		const a = keys(0, BATCH * 4);
		const b = keys(BATCH * 2, BATCH * 6);
		const [ra, rb] = await Promise.all([
			recordUpload(t.db, upload('pay/both', a)),
			recordUpload(t.db, upload('pay/both', b))
		]);
		const [first, second, last] = ra.counts.new === a.length ? [ra, rb, b] : [rb, ra, a];
		expect(first.counts).toMatchObject({ new: BATCH * 4, fixed: 0, unchanged: 0 });
		expect(second.counts).toMatchObject({
			new: BATCH * 2,
			unchanged: BATCH * 2,
			fixed: BATCH * 2
		});
		expect(await openKeys('pay/both')).toEqual(new Set(last.map((f) => f.key)));
		expect(await claimed()).toBe(0);
	});

	it('an upload claimed by another waits; an abandoned claim is taken over', async () => {
		await recordUpload(t.db, upload('pay/claim', keys(0, 3)));
		const [analysis] = await t.db
			.select({ id: table.analysis.id })
			.from(table.analysis)
			.innerJoin(table.codeRepository, eq(table.codeRepository.id, table.analysis.repositoryId))
			.where(eq(table.codeRepository.name, 'pay/claim'));
		const id = analysis!.id;
		const other = crypto.randomUUID();
		expect(await t.db.transaction((tx) => claimAnalyses(tx, [id], other))).toBe(true);
		// Claimed: nobody else gets it, and waiting for it ends in a clear refusal.
		expect(await t.db.transaction((tx) => claimAnalyses(tx, [id], crypto.randomUUID()))).toBe(
			false
		);
		await expect(
			untilClaimed(
				() =>
					t.db.transaction(async (tx) =>
						(await claimAnalyses(tx, [id], crypto.randomUUID())) ? true : null
					),
				150
			)
		).rejects.toBeInstanceOf(AnalysisBusyError);
		// An upload waits for it and goes on when it is released.
		const waiting = recordUpload(t.db, upload('pay/claim', keys(1, 4)));
		await new Promise((r) => setTimeout(r, 100));
		expect(await openKeys('pay/claim')).toEqual(new Set(keys(0, 3).map((f) => f.key)));
		await releaseAnalyses(t.db, other);
		expect((await waiting).counts).toMatchObject({ new: 1, unchanged: 2, fixed: 1 });
		// A claim six minutes old belongs to a server that stopped: the next upload takes it over.
		await t.db
			.update(table.analysis)
			.set({
				recordingUploadId: other,
				recordingSince: sql`clock_timestamp() - interval '6 minutes'`
			})
			.where(eq(table.analysis.id, id));
		expect((await recordUpload(t.db, upload('pay/claim', keys(1, 4)))).counts).toMatchObject({
			unchanged: 3
		});
		expect(await claimed()).toBe(0);
	});

	it('a write that fails half-way leaves no scan and no claim, and the next upload settles it', async () => {
		const good = keys(0, BATCH + 5);
		// A severity the database refuses, in the second batch: the first batch is written already.
		const broken = [...good, { ...reported('bad'), severity: 'bogus' as never }];
		const scansBefore = await t.db.$count(table.scan);
		await expect(recordUpload(t.db, upload('pay/broken', broken))).rejects.toThrow();
		expect(await t.db.$count(table.scan)).toBe(scansBefore);
		expect(await claimed()).toBe(0);
		expect((await openKeys('pay/broken')).size).toBe(BATCH);
		const again = await recordUpload(t.db, upload('pay/broken', good));
		expect(again.counts).toMatchObject({ new: 5, unchanged: BATCH });
		expect(await openKeys('pay/broken')).toEqual(new Set(good.map((f) => f.key)));
	});
	// On PostgreSQL: findings being written hold FOR KEY SHARE on their repository and analysis
	// (the foreign-key checks); making sure of those rows must not wait for them. It did (the
	// upserts updated a unique column, which locks FOR UPDATE), and two uploads deadlocked.
	it.skipIf(!process.env.DATABASE_URL)(
		'another upload of a repository whose findings are being written does not wait for them',
		async () => {
			await recordUpload(t.db, upload('pay/locks', keys(0, 2)));
			const [row] = await t.db
				.select({ repositoryId: table.analysis.repositoryId, analysisId: table.analysis.id })
				.from(table.analysis)
				.innerJoin(table.codeRepository, eq(table.codeRepository.id, table.analysis.repositoryId))
				.where(eq(table.codeRepository.name, 'pay/locks'));
			let release = () => {};
			let taken = () => {};
			const lockTaken = new Promise<void>((resolve) => (taken = resolve));
			const holder = t.db.transaction(async (tx) => {
				await tx.execute(
					sql`select 1 from code_repository where id = ${row!.repositoryId} for key share`
				);
				await tx.execute(sql`select 1 from analysis where id = ${row!.analysisId} for key share`);
				taken();
				await new Promise<void>((resolve) => (release = resolve));
			});
			await lockTaken;
			const other = recordUpload(t.db, { ...upload('pay/locks', keys(0, 2)), ref: 'feature/x' });
			const outcome = await Promise.race([
				other.then(() => 'recorded'),
				new Promise((resolve) => setTimeout(() => resolve('waited'), 3000))
			]);
			release();
			await holder;
			await other;
			expect(outcome).toBe('recorded');
		}
	);
});
