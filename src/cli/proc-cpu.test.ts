import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
	parseProcStat,
	postmasterOf,
	processTreeCpuMs,
	readProcStat,
	treeCpuTicks,
	type ProcStat
} from './proc-cpu';

// A real line of /proc/<pid>/stat (a PostgreSQL backend), fields 1–22.
const backendLine =
	'27078 (postgres) S 26771 27078 27078 0 -1 4194368 150663 0 0 0 256 65 7 3 20 0 1 0 3378 229613568 6013';

const stat = (pid: number, ppid: number, own: number, reaped = 0, comm = 'postgres'): ProcStat => ({
	pid,
	comm,
	ppid,
	utime: own,
	stime: 0,
	cutime: reaped,
	cstime: 0
});

describe('parseProcStat', () => {
	it('reads the pid, command, parent and the four CPU times', () => {
		expect(parseProcStat(backendLine)).toEqual({
			pid: 27078,
			comm: 'postgres',
			ppid: 26771,
			utime: 256,
			stime: 65,
			cutime: 7,
			cstime: 3
		});
	});

	it('counts fields from the last parenthesis: a command name may hold spaces and parentheses', () => {
		const line = '42 (a (b) c) R 7 42 42 0 -1 0 0 0 0 0 11 22 33 44 20 0 1 0 1 1 1';
		expect(parseProcStat(line)).toMatchObject({
			pid: 42,
			comm: 'a (b) c',
			ppid: 7,
			utime: 11,
			stime: 22,
			cutime: 33,
			cstime: 44
		});
	});

	it('refuses what is not a stat line', () => {
		expect(parseProcStat('')).toBeNull();
		expect(parseProcStat('hello world')).toBeNull();
		expect(parseProcStat('12 (x) S 1 2')).toBeNull();
	});
});

describe('treeCpuTicks', () => {
	it('sums a process, its descendants and the children each has reaped', () => {
		const stats = [
			stat(1, 0, 1000), // init: not part of the tree
			stat(100, 1, 5, 40), // postmaster: 40 ticks of backends that have exited
			stat(101, 100, 30), // a backend
			stat(102, 100, 20, 2), // another, with a reaped child of its own
			stat(103, 102, 1), // its child
			stat(200, 1, 500) // another PostgreSQL on the machine: not counted
		];
		expect(treeCpuTicks(stats, 100)).toBe(5 + 40 + 30 + 20 + 2 + 1);
		expect(treeCpuTicks(stats, 102)).toBe(23);
	});

	it('is null when the root is not there', () => {
		expect(treeCpuTicks([stat(1, 0, 10)], 99)).toBeNull();
	});

	it('does not loop on a cycle of parents (a pid reused while reading)', () => {
		expect(treeCpuTicks([stat(5, 6, 1), stat(6, 5, 2)], 5)).toBe(3);
	});
});

describe('on this machine', () => {
	it('reads this process, and a busy child adds to the tree of its parent', async () => {
		expect(readProcStat(process.pid)?.pid).toBe(process.pid);
		const before = processTreeCpuMs(process.pid)!;
		// A child that burns about 300 ms of CPU and exits: reaped, its time moves to this process.
		const child = spawn(process.execPath, [
			'-e',
			'const t = Date.now(); while (Date.now() - t < 300) {}'
		]);
		await new Promise((resolve) => child.once('exit', resolve));
		const after = processTreeCpuMs(process.pid)!;
		expect(after - before).toBeGreaterThanOrEqual(150);
		// A plain process is not a PostgreSQL backend.
		expect(postmasterOf(process.pid)).toBeNull();
	});
});
