import { describe, expect, it } from 'vitest';
import { parseBackupCommand } from './command';

describe('the backup and restore commands', () => {
	it('read what npm run backup and npm run restore pass', () => {
		expect(parseBackupCommand(['--backup', '--out', 'rampart.backup'])).toEqual({
			command: 'backup',
			out: 'rampart.backup'
		});
		expect(parseBackupCommand(['--restore', 'rampart.backup'])).toEqual({
			command: 'restore',
			file: 'rampart.backup',
			force: false
		});
		expect(parseBackupCommand(['--restore', 'rampart.backup', '--force'])).toEqual({
			command: 'restore',
			file: 'rampart.backup',
			force: true
		});
		expect(parseBackupCommand(['--demo'])).toBeUndefined();
	});

	it('say how to call them when the arguments are wrong', () => {
		expect(() => parseBackupCommand(['--backup'])).toThrow(
			/--out.*\nUsage: npm run backup -- --out FILE/s
		);
		expect(() => parseBackupCommand(['--backup', '--out', 'a', 'b'])).toThrow(/Usage/);
		expect(() => parseBackupCommand(['--restore'])).toThrow(/Name one backup file/);
		expect(() => parseBackupCommand(['--restore', 'a', 'b'])).toThrow(/Name one backup file/);
		expect(() => parseBackupCommand(['--restore', 'a', '--forse'])).toThrow(
			/Unknown option '--forse'.*\nUsage: npm run restore/s
		);
	});
});
