// CPU time of processes and process trees from Linux's /proc, for `npm run bench`: the
// servers' own CPU per request, and PostgreSQL's (its postmaster and every backend) when the
// database runs on the same machine.
/* eslint-disable security/detect-non-literal-fs-filename -- /proc paths built from process ids */
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat that CPU accounting needs (times in clock ticks). */
export interface ProcStat {
	pid: number;
	/** The command name (at most 15 characters, as the kernel keeps it). */
	comm: string;
	ppid: number;
	utime: number;
	stime: number;
	/** CPU of children that exited and were waited for (reaped), user and system. */
	cutime: number;
	cstime: number;
}

/** Clock ticks per second of /proc's times: 100 on Linux (USER_HZ, fixed by the kernel ABI). */
export const TICKS_PER_SECOND = 100;

/**
 * Parses one /proc/<pid>/stat line (proc(5)). The command name sits in parentheses and may
 * itself hold spaces and parentheses, so the fields are counted from the last `)`. Null when the
 * line is not one.
 */
export function parseProcStat(text: string): ProcStat | null {
	const open = text.indexOf('(');
	const close = text.lastIndexOf(')');
	if (open < 1 || close < open) return null;
	const pid = Number(text.slice(0, open).trim());
	// After ") ": state (3), ppid (4), … utime (14), stime (15), cutime (16), cstime (17).
	const rest = text
		.slice(close + 2)
		.trim()
		.split(/\s+/);
	const field = (n: number) => Number(rest[n - 3]);
	const stat: ProcStat = {
		pid,
		comm: text.slice(open + 1, close),
		ppid: field(4),
		utime: field(14),
		stime: field(15),
		cutime: field(16),
		cstime: field(17)
	};
	const numbers = [stat.pid, stat.ppid, stat.utime, stat.stime, stat.cutime, stat.cstime];
	return numbers.every((n) => Number.isInteger(n) && n >= 0) ? stat : null;
}

/**
 * CPU of a process and all its descendants, in clock ticks: each live process's own time plus
 * the time of its children that have already exited (cutime/cstime, which the kernel adds to
 * the parent that reaps them — PostgreSQL's backends that closed their connection, say). Null
 * when the root is not among the processes.
 */
export function treeCpuTicks(stats: readonly ProcStat[], rootPid: number): number | null {
	const children = new Map<number, ProcStat[]>();
	let root: ProcStat | undefined;
	for (const s of stats) {
		if (s.pid === rootPid) root = s;
		const list = children.get(s.ppid);
		if (list) list.push(s);
		else children.set(s.ppid, [s]);
	}
	if (!root) return null;
	let total = 0;
	const seen = new Set<number>();
	const queue = [root];
	while (queue.length) {
		const s = queue.pop()!;
		if (seen.has(s.pid)) continue;
		seen.add(s.pid);
		total += s.utime + s.stime + s.cutime + s.cstime;
		queue.push(...(children.get(s.pid) ?? []));
	}
	return total;
}

/** /proc/<pid>/stat of one process, or null when it is gone or this is not Linux. */
export function readProcStat(pid: number): ProcStat | null {
	try {
		return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return null;
	}
}

/** Every process's stat that can be read now (processes that exit meanwhile are skipped). */
export function readAllProcStats(): ProcStat[] {
	let entries: string[];
	try {
		entries = readdirSync('/proc');
	} catch {
		return [];
	}
	const stats: ProcStat[] = [];
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = readProcStat(Number(entry));
		if (stat) stats.push(stat);
	}
	return stats;
}

/** CPU used so far by a process and its descendants, in ms; null when unavailable. */
export function processTreeCpuMs(rootPid: number): number | null {
	const ticks = treeCpuTicks(readAllProcStats(), rootPid);
	return ticks === null ? null : (ticks * 1000) / TICKS_PER_SECOND;
}

/**
 * The PostgreSQL server (postmaster) a backend belongs to: the backend's parent, when this
 * machine can see it and it is a `postgres` process. Null for a server elsewhere (or in a
 * container this process cannot see into).
 */
export function postmasterOf(backendPid: number): number | null {
	const backend = readProcStat(backendPid);
	if (!backend || backend.comm !== 'postgres') return null;
	const parent = readProcStat(backend.ppid);
	return parent && parent.comm === 'postgres' ? parent.pid : null;
}
