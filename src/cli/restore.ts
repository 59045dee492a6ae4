// `npm run restore -- FILE [--force]`: restores a backup made by `npm run backup` into
// DATABASE_URL's PostgreSQL database, else the embedded database in DATA_DIR (./data). Stop the
// server first. An older backup is migrated forward; a newer one is refused.
import { parseArgs } from 'node:util';
import { BackupError } from '$lib/server/backup/format';
import { restoreEmbedded } from '$lib/server/backup/embedded';
import { restorePostgres } from '$lib/server/backup/postgres';

const usage = 'Usage: npm run restore -- FILE [--force]';

try {
	const { values, positionals } = parseArgs({
		options: { force: { type: 'boolean', default: false } },
		allowPositionals: true
	});
	const [file, ...rest] = positionals;
	if (!file || rest.length > 0) throw new BackupError(`Name one backup file. ${usage}`);
	const url = process.env.DATABASE_URL || undefined;
	if (url) {
		const { header } = await restorePostgres(url, file, { force: values.force });
		console.log(`Restored the backup of ${header.createdAt} into the PostgreSQL database.`);
	} else {
		const dataDir = process.env.DATA_DIR || './data';
		const { header, keptAs } = await restoreEmbedded(dataDir, file, { force: values.force });
		console.log(`Restored the backup of ${header.createdAt} into ${dataDir}.`);
		if (keptAs)
			console.log(`The database it replaced is in ${keptAs}; delete it once you are sure.`);
	}
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
