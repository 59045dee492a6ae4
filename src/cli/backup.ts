// `npm run backup -- --out FILE`: backs up DATABASE_URL's PostgreSQL database (pg_dump), else the
// embedded database in DATA_DIR (./data), whether the server is running or stopped.
import { parseArgs } from 'node:util';
import { BackupError } from '$lib/server/backup/format';
import { backupEmbedded } from '$lib/server/backup/embedded';
import { backupPostgres } from '$lib/server/backup/postgres';

const usage = 'Usage: npm run backup -- --out FILE';

try {
	const { values } = parseArgs({ options: { out: { type: 'string' } } });
	if (!values.out) throw new BackupError(`Name the backup file. ${usage}`);
	const url = process.env.DATABASE_URL || undefined;
	const started = performance.now();
	let how: string;
	if (url) {
		await backupPostgres(url, values.out);
		how = 'PostgreSQL database, pg_dump';
	} else {
		const dataDir = process.env.DATA_DIR || './data';
		const mode = await backupEmbedded(dataDir, values.out);
		how = `embedded database in ${dataDir}, ${mode === 'live' ? 'made by the running server' : 'server stopped'}`;
	}
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	console.log(`Backup written to ${values.out} (${how}) in ${seconds} s.`);
} catch (e) {
	if (
		!(e instanceof BackupError) &&
		(e as { code?: string }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
	)
		throw e;
	console.error((e as Error).message);
	if (!(e instanceof BackupError)) console.error(usage);
	process.exitCode = 1;
}
