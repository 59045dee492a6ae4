import { log } from '$lib/server/log';
import { startDatabase, stopDatabase } from './index';
import { startupProblem } from './startup-problem';

/**
 * `node build --migrate` (what `npm run migrate` runs): applies the release's migrations to the
 * configured database (on PostgreSQL under the advisory lock instances take as they start) and
 * exits without serving, for operators who migrate before starting instances with
 * MIGRATE_ON_START=false. It runs in the server's init hook, so it is the release's own code
 * and needs nothing but the production dependencies.
 */
export async function runMigrateCommand(env: NodeJS.ProcessEnv = process.env): Promise<never> {
	try {
		await startDatabase({ ...env, MIGRATE_ON_START: 'true' });
		await stopDatabase();
	} catch (e) {
		log.error(`Migrations failed: ${startupProblem(e)}`);
		process.exit(1);
	}
	log.info('Migrations applied; the database is ready for this release.', {
		database: env.DATABASE_URL ? 'postgres' : env.DATA_DIR || './data'
	});
	process.exit(0);
}
