import { parseArgs } from 'node:util';
import { BackupError } from './format';
import { backupEmbedded, restoreEmbedded } from './embedded';
import { backupPostgres, restorePostgres } from './postgres';

export type BackupCommand =
	{ command: 'backup'; out: string } | { command: 'restore'; file: string; force: boolean };

const usage = {
	backup: 'Usage: npm run backup -- --out FILE',
	restore: 'Usage: npm run restore -- FILE [--force]'
};

/** Reads `--backup --out FILE` or `--restore FILE [--force]` from the server's arguments. */
export function parseBackupCommand(args: string[]): BackupCommand | undefined {
	const command = args.includes('--backup')
		? 'backup'
		: args.includes('--restore')
			? 'restore'
			: undefined;
	if (!command) return undefined;
	let parsed;
	try {
		parsed = parseArgs({
			args: args.filter((a) => a !== `--${command}`),
			options: { out: { type: 'string' }, force: { type: 'boolean', default: false } },
			allowPositionals: true
		});
	} catch (e) {
		throw new BackupError(`${(e as Error).message}\n${usage[command]}`);
	}
	const { values, positionals } = parsed;
	if (command === 'backup') {
		if (!values.out || positionals.length > 0 || values.force) {
			throw new BackupError(`Name the backup file with --out, and nothing else.\n${usage.backup}`);
		}
		return { command, out: values.out };
	}
	if (positionals.length !== 1 || values.out) {
		throw new BackupError(`Name one backup file.\n${usage.restore}`);
	}
	return { command, file: positionals[0]!, force: values.force ?? false };
}

/** Runs a backup or restore on the configured database; returns what to tell the operator. */
export async function runBackup(cmd: BackupCommand, env: NodeJS.ProcessEnv): Promise<string> {
	const url = env.DATABASE_URL || undefined;
	const dataDir = env.DATA_DIR || './data';
	const started = performance.now();
	if (cmd.command === 'backup') {
		let how = 'PostgreSQL database, pg_dump';
		if (url) await backupPostgres(url, cmd.out);
		else {
			const mode = await backupEmbedded(dataDir, cmd.out);
			how = `embedded database in ${dataDir}, ${mode === 'live' ? 'made by the running server' : 'server stopped'}`;
		}
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		return `Backup written to ${cmd.out} (${how}) in ${seconds} s.`;
	}
	if (url) {
		const { header } = await restorePostgres(url, cmd.file, { force: cmd.force });
		return `Restored the backup of ${header.createdAt} into the PostgreSQL database.`;
	}
	const { header, keptAs } = await restoreEmbedded(dataDir, cmd.file, { force: cmd.force });
	return (
		`Restored the backup of ${header.createdAt} into ${dataDir}.` +
		(keptAs ? `\nThe database it replaced is in ${keptAs}; delete it once you are sure.` : '')
	);
}

/**
 * `node build --backup --out FILE` and `node build --restore FILE [--force]` (npm run backup,
 * npm run restore): run in the server's init hook, like --migrate, so a release installed
 * without its development dependencies has them; it exits without serving.
 */
export async function runBackupCommand(
	args: string[] = process.argv.slice(2),
	env: NodeJS.ProcessEnv = process.env
): Promise<never> {
	try {
		const cmd = parseBackupCommand(args);
		if (!cmd) throw new BackupError(`${usage.backup}\n${usage.restore}`);
		console.log(await runBackup(cmd, env));
		process.exit(0);
	} catch (e) {
		// An operator's problem is its message alone; anything else with its stack.
		console.error(e instanceof BackupError ? e.message : e);
		process.exit(1);
	}
}
