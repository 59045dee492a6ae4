import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, pgliteSharedBuffers } from './client';

describe('the embedded database’s buffer cache', () => {
	const saved = process.env.PGLITE_SHARED_BUFFERS;
	afterEach(() => {
		if (saved === undefined) delete process.env.PGLITE_SHARED_BUFFERS;
		else process.env.PGLITE_SHARED_BUFFERS = saved;
	});

	const shown = async () => {
		const handle = await openDatabase({ dataDir: 'memory://' });
		try {
			const result = await handle.db.execute<{ shared_buffers: string }>(sql`show shared_buffers`);
			return (result as unknown as { rows: { shared_buffers: string }[] }).rows[0]!.shared_buffers;
		} finally {
			await handle.close();
		}
	};

	it('is 32 MB unless PGLITE_SHARED_BUFFERS says otherwise', async () => {
		delete process.env.PGLITE_SHARED_BUFFERS;
		expect(await shown()).toBe('32MB');
		process.env.PGLITE_SHARED_BUFFERS = '16MB';
		expect(await shown()).toBe('16MB');
	});

	it('refuses a setting that is not a size', () => {
		expect(pgliteSharedBuffers(' 64MB ')).toBe('64MB');
		for (const bad of ['lots', '32', '32 MB', '32MB -c fsync=on', '1TB']) {
			expect(() => pgliteSharedBuffers(bad), bad).toThrow(/PGLITE_SHARED_BUFFERS/);
		}
	});
});
