// `npm run scores:rebuild`: recomputes every stored score from the stored answers, after a
// change to the scoring rules or the model. Uses DATABASE_URL, else the embedded DATA_DIR
// (stop the server first: the embedded data directory is locked by one process).
import { migrateDatabase, openDatabase } from '$lib/server/db/client';
import { rebuildAllScores } from '$lib/server/assessments/assessments';
import { loadModel } from '$lib/server/model/load-model';

const url = process.env.DATABASE_URL || undefined;
const handle = await openDatabase({ url, dataDir: process.env.DATA_DIR || './data' });
try {
	await migrateDatabase(handle, url);
	const started = performance.now();
	const count = await rebuildAllScores(handle.db, loadModel());
	console.log(
		`Rebuilt the scores of ${count} assessments in ${Math.round(performance.now() - started)} ms.`
	);
} finally {
	await handle.close();
}
