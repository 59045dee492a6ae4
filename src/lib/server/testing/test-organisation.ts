import { afterAll, beforeAll } from 'vitest';
import type { Database, DatabaseHandle } from '$lib/server/db/client';
import { createTestDatabase } from '$lib/server/db/test-db';
import { loadModel } from '$lib/server/model/load-model';
import { buildOrganisation, type Organisation } from './organisation';

/**
 * A fresh database holding the test organisation for one describe block: call it in the block,
 * read `db` and `org` inside the tests.
 */
export function testOrganisation() {
	const t = {} as { db: Database; org: Organisation; handle: DatabaseHandle };
	beforeAll(async () => {
		t.handle = await createTestDatabase();
		t.db = t.handle.db;
		t.org = await buildOrganisation(t.db, loadModel());
	});
	afterAll(() => t.handle?.close());
	return t;
}
