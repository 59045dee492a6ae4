import { sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Organisation, TeamSlug } from '$lib/server/testing/organisation';
import { dismissFinding } from '../dismiss';
import { recordUpload } from '../record';
import type { ReportedFinding, ScanReport, ScannedTool, Severity } from '../scan-report';

/*
 * Findings in the test organisation (testing/organisation.ts), recorded through the code that
 * records uploads, at days relative to `now`, so that every figure has rows it must NOT count:
 * another team with a repository of the same name, an archived team (Legacy) with open and fixed
 * findings and stopped scans, suppressed and dismissed findings (some later fixed), a finding
 * that was fixed and came back, an upload on another branch, and a team (Gamma) whose scans
 * stopped 45 days ago. Tests compute what they expect from the rows, never from the code under
 * test.
 */

export const DAY = 86_400_000;
export const semgrep: ScannedTool = { name: 'Semgrep OSS', version: '1.2.3' };
export const grype: ScannedTool = { name: 'Grype', version: '0.70.0' };

/** Untrusted text as a hostile pipeline would upload it. */
export const hostile = {
	message: 'Tainted <script>alert("message")</script> reaches <img src=x onerror=alert(1)>',
	help: [
		'Read [the guide](javascript:alert(1)) and <script>alert("help")</script>.',
		'',
		'![tracker](https://evil.example/pixel.png) <img src=x onerror=alert(2)>',
		'',
		'[ok](https://owasp.org/) [data](data:text/html,<script>alert(3)</script>)'
	].join('\n'),
	path: 'src/<script>alert("path")</script>.ts'
};

/** The stored key of a fixture finding (unique per tool). */
export const keyOf = (tool: ScannedTool, key: string) => `${tool.name}:${key}:`.padEnd(64, '0');

/** A finding as a reader would report it; `key` is made unique per tool. */
export function reported(
	key: string,
	opts: {
		tool?: ScannedTool;
		severity?: Severity;
		suppressed?: boolean;
		rule?: string;
		message?: string;
		help?: string | null;
		path?: string | null;
		line?: number | null;
	} = {}
): ReportedFinding {
	const tool = opts.tool ?? semgrep;
	return {
		key: keyOf(tool, key),
		tool,
		ruleId: opts.rule ?? `rule/${key}`,
		ruleName: opts.rule ? null : `Rule ${key}`,
		severity: opts.severity ?? 'high',
		message: opts.message ?? `Problem ${key}`,
		help: opts.help === undefined ? `**Fix** ${key}` : opts.help,
		location: {
			path: opts.path === undefined ? `src/${key}.ts` : opts.path,
			startLine: opts.line === undefined ? 7 : opts.line,
			endLine: null
		},
		suppressed: opts.suppressed ? { kind: 'inSource', justification: 'test data' } : null
	};
}

/** A reader's report of these findings by these tools. */
export function report(findings: ReportedFinding[], tools: ScannedTool[] = [semgrep]): ScanReport {
	return {
		format: 'sarif',
		tools,
		findings,
		results: findings.length,
		skipped: 0,
		components: null
	};
}

export interface RecordedFindings {
	now: number;
	/** A finding's id by team and key (as passed to `reported`, tool included: `Grype:g1`). */
	id(team: TeamSlug, key: string): string;
}

/** Records the uploads described above; `now` is the instant the days count back from. */
export async function recordFindings(
	db: Database,
	org: Organisation,
	now = Date.now()
): Promise<RecordedFindings> {
	const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
	const upload = async (
		team: TeamSlug,
		repository: string,
		daysAgo: number,
		findings: ReportedFinding[],
		tools: ScannedTool[] = [semgrep],
		ref = 'main'
	) =>
		recordUpload(
			db,
			{
				teamId: org.team(team),
				tokenId: null,
				repository,
				ref,
				commit: null,
				category: null,
				report: report(findings, tools)
			},
			at(daysAgo)
		);
	const sg = (key: string, o: Parameters<typeof reported>[1] = {}) => reported(key, o);
	const gr = (key: string, o: Parameters<typeof reported>[1] = {}) =>
		reported(key, { tool: grype, ...o });

	// Alpha, payments/api with Semgrep: opened 100 days ago, then some fixed, new and back.
	const first = [
		sg('a1', { severity: 'critical' }),
		sg('a2', { severity: 'critical' }),
		sg('a3', { severity: 'high' }),
		sg('a4', { severity: 'high' }),
		sg('a5', { severity: 'medium' }),
		sg('a6', { severity: 'low' }),
		sg('a7', { severity: 'none' }),
		sg('a8', { severity: 'high', suppressed: true }),
		sg('a9', { severity: 'medium', message: 'Uses 100% of the_pool' })
	];
	await upload('alpha', 'payments/api', 100, first);
	// 40 days ago: a1 and a2 fixed, a10 and a11 new.
	const second = [
		...first.filter((f) => !['rule/a1', 'rule/a2'].includes(f.ruleId)),
		sg('a10', { severity: 'critical' }),
		sg('a11', { severity: 'high' })
	];
	await upload('alpha', 'payments/api', 40, second);
	// 3 days ago: a3 and the suppressed a8 fixed, a1 back, a12 new.
	const third = [
		...second.filter((f) => !['rule/a3', 'rule/a8'].includes(f.ruleId)),
		sg('a1', { severity: 'critical' }),
		sg('a12', { severity: 'critical' }),
		// Paths that must not become links as they are: outside the repository, and odd characters.
		sg('x1', { severity: 'low', path: '../../etc/passwd' }),
		sg('x2', { severity: 'low', path: 'src/a b#?%.ts', message: hostile.message })
	];
	await upload('alpha', 'payments/api', 3, third);
	// A feature branch: evidence that the tool ran, no finding changes.
	await upload(
		'alpha',
		'payments/api',
		1,
		[sg('branch-only', { severity: 'critical' })],
		[semgrep],
		'feature/x'
	);
	// Grype on the same repository: a second analysis.
	await upload(
		'alpha',
		'payments/api',
		20,
		[
			gr('g1', { severity: 'critical', path: null, line: null }),
			gr('g2', { severity: 'high' }),
			gr('g3', { severity: 'high', suppressed: true })
		],
		[grype]
	);
	// Alpha's web front end (no web address): a hostile finding and a dismissed one, later fixed.
	await upload('alpha', 'payments/web', 10, [
		sg('w1', { severity: 'medium', ...hostile }),
		sg('w2', { severity: 'high' }),
		sg('w3', { severity: 'low' })
	]);
	await db
		.update(table.codeRepository)
		.set({ webAddress: 'https://git.example.com/payments/api/' })
		.where(
			sql`${table.codeRepository.teamId} = ${org.team('alpha')} and ${table.codeRepository.name} = 'payments/api'`
		);

	// Beta: a repository of the same name, its own findings.
	await upload('beta', 'payments/api', 5, [
		sg('b1', { severity: 'critical' }),
		sg('b2', { severity: 'high' }),
		sg('b3', { severity: 'high' })
	]);
	await upload('beta', 'payments/api', 2, [sg('b1', { severity: 'critical' })]);
	// Gamma: scans that stopped 45 days ago (one high fixed in 15 days).
	await upload('gamma', 'platform/infra', 60, [
		sg('c1', { severity: 'high' }),
		sg('c2', { severity: 'critical' })
	]);
	await upload('gamma', 'platform/infra', 45, [sg('c2', { severity: 'critical' })]);
	// Legacy (archived): open and fixed findings and scans that stopped 90 days ago, none of which
	// count (as an active team it would be among those whose scans stopped, its fix in 30 days
	// would move the median).
	await upload('legacy', 'old/app', 120, [
		sg('l1', { severity: 'critical' }),
		sg('l2', { severity: 'high' })
	]);
	await upload('legacy', 'old/app', 90, [sg('l1', { severity: 'critical' })]);

	const rows = await db
		.select({ id: table.finding.id, key: table.finding.key, teamId: table.finding.teamId })
		.from(table.finding);
	const id = (team: TeamSlug, key: string) => {
		const [tool, name] = key.startsWith('Grype:') ? [grype, key.slice(6)] : [semgrep, key];
		const full = keyOf(tool, name);
		const row = rows.find((r) => r.teamId === org.team(team) && r.key === full);
		if (!row) throw new Error(`findings fixture: no finding ${key} in ${team}`);
		return row.id;
	};
	// Alpha dismisses a4 (open) and w2 (then fixed by the next upload of payments/web).
	const ann = { actorId: org.user('Ann'), ip: '127.0.0.1' };
	await dismissFinding(db, ann, org.team('alpha'), id('alpha', 'a4'), 'A false positive', at(30));
	await dismissFinding(db, ann, org.team('alpha'), id('alpha', 'w2'), 'Accepted risk', at(9));
	await upload('alpha', 'payments/web', 8, [
		sg('w1', { severity: 'medium', ...hostile }),
		sg('w3', { severity: 'low' })
	]);
	return { now, id };
}
