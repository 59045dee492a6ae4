/**
 * Two production instances of the release on one PostgreSQL database behind a real HAProxy on
 * 127.0.0.1 (`npm run test:cluster`, which .ci/run runs after the PostgreSQL suite; it needs
 * DATABASE_URL, haproxy on the PATH and a build). Each part of the test is a client of its
 * own loopback address, as HAProxy's X-Forwarded-For tells the instances (ADDRESS_HEADER,
 * XFF_DEPTH=1), so the per-address budgets of one part do not spend another's.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	cookieOf,
	listening,
	makeRelease,
	request,
	sleep,
	startHaproxy,
	startInstance,
	waitFor,
	type Answer,
	type Haproxy,
	type Instance
} from './cluster';
import { startSmtpServer } from '../../src/lib/server/mail/testing/smtp';

const adminUrl = process.env.DATABASE_URL;
const portBase = Number(process.env.CLUSTER_PORT_BASE ?? 4850);
const frontPort = portBase;
const ports = {
	a: portBase + 1,
	b: portBase + 2,
	spare: portBase + 3,
	c: portBase + 4,
	d: portBase + 5
};
const front = `http://127.0.0.1:${frontPort}`;
const PASSWORD = 'cluster test password only';
const DRAIN_SECONDS = 3;

function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = `/${database}`;
	return u.toString();
}

const dbName = `rampart_cluster_${randomBytes(5).toString('hex')}`;
const emptyDbName = `${dbName}_empty`;
let release: string;
let work: string;
let admin: postgres.Sql;
let sql: postgres.Sql;
let haproxy: Haproxy;
const instances: Record<'a' | 'b', Instance> = {} as never;
let migrateRun: { code: number | null; output: string };
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

const instanceEnv = (url: string): Record<string, string> => ({
	DATABASE_URL: url,
	ORIGIN: front,
	ADDRESS_HEADER: 'X-Forwarded-For',
	XFF_DEPTH: '1',
	BODY_SIZE_LIMIT: '10M',
	MIGRATE_ON_START: 'false',
	SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS),
	DATABASE_POOL_SIZE: '5',
	RAMPART_DEMO: '1',
	DEMO_PASSWORD: PASSWORD,
	// The demo's admin and security people have no second factor; this test is not about that.
	MFA_REQUIRED_ROLES: '',
	// Email on, to a real SMTP server in this process: the background jobs send through it.
	SMTP_URL: smtp.url
});

const ready = (port: number) => async () =>
	(await request(`http://127.0.0.1:${port}/readyz`)).status === 200;

/** Signs in through the load balancer from `from`; returns the session cookie. */
async function signIn(email: string, from: string): Promise<string> {
	const answer = await request(`${front}/login`, {
		form: { email, password: PASSWORD },
		from,
		headers: { Origin: front }
	});
	expect(answer.status, answer.body.slice(0, 500)).toBe(303);
	const cookie = cookieOf(answer);
	expect(cookie).toMatch(/=/);
	return cookie;
}

describe.skipIf(!adminUrl)('two instances behind HAProxy on one PostgreSQL', () => {
	beforeAll(async () => {
		const url = adminUrl!;
		work = mkdtempSync(path.join(tmpdir(), 'rampart-cluster-'));
		smtp = await startSmtpServer();
		release = makeRelease(process.cwd());
		admin = postgres(url, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${dbName}`);
		await admin.unsafe(`create database ${emptyDbName}`);
		const dbUrl = withDatabase(url, dbName);
		sql = postgres(dbUrl, { max: 2, onnotice: () => {} });

		// The operator's way: migrate once, then start instances that do not migrate.
		const migrate = startInstance(release, 'migrate', ports.spare, { DATABASE_URL: dbUrl }, [
			'--migrate'
		]);
		migrateRun = { code: await migrate.exited, output: migrate.output() };

		haproxy = await startHaproxy(work, frontPort, [
			{ name: 'a', port: ports.a },
			{ name: 'b', port: ports.b }
		]);
		// A seeds the demo organisation; B finds users there and adds nothing.
		instances.a = startInstance(release, 'a', ports.a, instanceEnv(dbUrl));
		await waitFor('instance a', ready(ports.a), 120_000);
		instances.b = startInstance(release, 'b', ports.b, instanceEnv(dbUrl));
		await waitFor('instance b', ready(ports.b), 120_000);
		await waitFor('HAProxy to see both instances up', async () => {
			const s = await haproxy.states();
			return s.a === 2 && s.b === 2;
		});
	}, 240_000);

	afterAll(async () => {
		for (const i of Object.values(instances))
			if (i.child.exitCode === null) i.child.kill('SIGKILL');
		await haproxy?.stop();
		await sql?.end({ timeout: 5 });
		if (admin) {
			await admin.unsafe(`drop database if exists ${dbName} with (force)`);
			await admin.unsafe(`drop database if exists ${emptyDbName} with (force)`);
			await admin.end({ timeout: 5 });
		}
		await smtp?.close();
		for (const dir of [release, work]) if (dir) rmSync(dir, { recursive: true, force: true });
	}, 60_000);

	it('runs from a release with production dependencies only, migrated by `--migrate`', async () => {
		expect(migrateRun.output).toContain('Migrations applied');
		expect(migrateRun.code).toBe(0);
		const [applied] = await sql<
			{ n: number }[]
		>`select count(*)::int as n from drizzle.__drizzle_migrations`;
		expect(applied?.n).toBeGreaterThan(10);
		// An instance that must not migrate refuses a database that lacks the migrations.
		const refused = startInstance(release, 'refused', ports.spare, {
			...instanceEnv(withDatabase(adminUrl!, emptyDbName)),
			RAMPART_DEMO: '0'
		});
		expect(await refused.exited).toBe(1);
		expect(refused.output()).toContain('run `npm run migrate` first');
		expect(await listening(ports.spare)).toBe(false);
	});

	it('keeps a session made through one instance on the other', async () => {
		const [lead] = await sql<{ email: string; slug: string }[]>`
			select u.email, t.slug from team_member m join "user" u on u.id = m.user_id
			join team t on t.id = m.team_id where m.role = 'lead' order by t.slug limit 1`;
		const from = '127.0.0.3';
		const cookie = await signIn(lead!.email, from);
		const page = `/teams/${lead!.slug}/plan`;
		for (const port of [ports.a, ports.b]) {
			const direct = await request(`http://127.0.0.1:${port}${page}`, {
				cookie,
				headers: { 'X-Forwarded-For': from }
			});
			expect(direct.status, `instance on ${port}`).toBe(200);
		}
		// And through the balancer, which takes turns.
		const served = new Set<string>();
		for (let i = 0; i < 4; i++) {
			const answer = await request(`${front}${page}`, { cookie, from });
			expect(answer.status).toBe(200);
			served.add(answer.servedBy!);
		}
		expect([...served].sort()).toEqual(['a', 'b']);
		// Signed out on one, signed out on both.
		const signedOut = await request(`http://127.0.0.1:${ports.a}/logout`, {
			form: {},
			cookie,
			headers: { Origin: front, 'X-Forwarded-For': from }
		});
		expect(signedOut.status, signedOut.body.slice(0, 300)).toBe(303);
		expect(signedOut.headers.location).toBe('/login');
		const after = await request(`http://127.0.0.1:${ports.b}${page}`, {
			cookie,
			headers: { 'X-Forwarded-For': from }
		});
		expect(after.status, after.body.slice(0, 300)).toBe(303);
		expect(after.headers.location).toMatch(/^\/login/);
	});

	it('shows a change made through one instance on the other’s dashboard at once', async () => {
		const from = '127.0.0.6';
		const leadership = await signIn('cto@demo.rampart.test', from);
		const adminCookie = await signIn('admin@demo.rampart.test', from);
		const [team] = await sql<
			{ slug: string; name: string; org_unit_id: string; description: string }[]
		>`
			select slug, name, org_unit_id, description from team where active order by slug limit 1`;
		const dashboard = () =>
			request(`http://127.0.0.1:${ports.b}/dashboard`, {
				cookie: leadership,
				headers: { 'X-Forwarded-For': from }
			});
		const before = await dashboard();
		expect(before.status).toBe(200);
		expect(before.body).toContain(team!.name);
		const renamed = `${team!.name} Renamed ${randomBytes(3).toString('hex')}`;
		const saved = await request(`http://127.0.0.1:${ports.a}/admin/teams/${team!.slug}?/update`, {
			form: {
				name: renamed,
				slug: team!.slug,
				orgUnitId: team!.org_unit_id ?? '',
				description: team!.description
			},
			cookie: adminCookie,
			headers: { Origin: front, 'X-Forwarded-For': from }
		});
		expect(saved.status, saved.body.slice(0, 300)).toBe(303);
		const after = await dashboard();
		expect(after.status).toBe(200);
		expect(after.body).toContain(renamed);
	});

	it('counts failed sign-ins across both instances', async () => {
		const from = '127.0.0.4';
		const served = new Set<string>();
		for (let i = 0; i < 10; i++) {
			const answer = await request(`${front}/login`, {
				form: { email: `nobody-${i}@demo.rampart.test`, password: 'wrong password' },
				from,
				headers: { Origin: front }
			});
			expect(answer.status).toBe(400);
			served.add(answer.servedBy!);
		}
		expect([...served].sort()).toEqual(['a', 'b']);
		// The right password from that address now waits, whichever instance answers.
		for (let i = 0; i < 2; i++) {
			const answer = await request(`${front}/login`, {
				form: { email: 'cto@demo.rampart.test', password: PASSWORD },
				from,
				headers: { Origin: front }
			});
			expect(answer.status).toBe(429);
			expect(answer.body).toContain('Too many failed sign-ins');
		}
	});

	it('spends one request budget per address across both instances', async () => {
		const from = '127.0.0.5';
		const started = Date.now();
		const served = new Set<string>();
		let granted = 0;
		let refused: Answer | undefined;
		while (!refused && granted < 1000) {
			const batch = await Promise.all(
				Array.from({ length: 4 }, () => request(`${front}/login`, { from }))
			);
			for (const answer of batch) {
				if (answer.status === 429) refused ??= answer;
				else {
					expect(answer.status).toBe(200);
					granted++;
					served.add(answer.servedBy!);
				}
			}
		}
		const seconds = (Date.now() - started) / 1000;
		expect([...served].sort()).toEqual(['a', 'b']);
		expect(refused?.headers['retry-after']).toMatch(/^\d+$/);
		// The default budget: 300 at once, 5 a second more. Two budgets of their own would grant ~600.
		expect(granted).toBeGreaterThan(240);
		expect(granted).toBeLessThanOrEqual(300 + Math.ceil(5 * seconds) + 4);
	});

	it('sends each reminder once though several instances work them out', async () => {
		// The open cycle falls due in a week; two more instances start together and each works out
		// the reminders as it starts, while every instance's outbox worker sends what is queued.
		const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
		await sql`update cycle set due_on = ${inAWeek} where status = 'open'`;
		const env = instanceEnv(withDatabase(adminUrl!, dbName));
		const extra = [
			startInstance(release, 'c', ports.c, env),
			startInstance(release, 'd', ports.d, env)
		];
		try {
			await Promise.all(extra.map((i) => waitFor(`instance ${i.name}`, ready(i.port), 120_000)));
			const expected = await sql<{ email: string }[]>`
				select u.email from reminder_sent r
				join "user" u on u.id::text = split_part(r.key, ':', 4)
				where r.key like 'assessment_due:7:%'`;
			expect(expected.length).toBeGreaterThan(0);
			const due = () =>
				smtp.received.filter((m) => / assessment is due /.test(m.mail.subject ?? ''));
			await waitFor(
				'the reminders to be sent',
				async () => due().length >= expected.length,
				30_000
			);
			// Another round of every worker (they look every 3 s) sends nothing more.
			await sleep(4000);
			const sent = due().flatMap((m) => m.to);
			expect(sent.length).toBe(expected.length);
			expect(new Set(sent).size).toBe(sent.length);
			expect([...sent].sort()).toEqual(expected.map((e) => e.email).sort());
		} finally {
			for (const i of extra) i.child.kill('SIGTERM');
			await Promise.all(extra.map((i) => i.exited));
		}
	}, 150_000);

	it('loses no acknowledged save when an instance stops during a load, and leaves the balancer first', async () => {
		const [lead] = await sql<{ email: string; slug: string; id: string; practice: string }[]>`
			select u.email, t.slug, u.id, 'threat-modeling' as practice from team_member m
			join "user" u on u.id = m.user_id join team t on t.id = m.team_id
			where m.role = 'lead' order by t.slug desc limit 1`;
		const cookie = await signIn(lead!.email, '127.0.0.7');
		const page = `${front}/teams/${lead!.slug}/plan`;
		const acknowledged: string[] = [];
		const failures: string[] = [];
		const servedBy: Record<string, number> = {};
		let stop = false;

		const worker = async (w: number) => {
			const from = `127.0.1.${w + 1}`;
			for (let n = 0; !stop; n++) {
				const action = `cluster save ${w}-${n}`;
				try {
					const saved = await request(`${page}?/create`, {
						form: {
							practiceId: lead!.practice,
							action,
							ownerId: lead!.id,
							dueOn: '2027-01-15'
						},
						cookie,
						from,
						headers: { Origin: front }
					});
					servedBy[saved.servedBy ?? '?'] = (servedBy[saved.servedBy ?? '?'] ?? 0) + 1;
					if (saved.status === 303) acknowledged.push(action);
					else
						failures.push(
							`save ${saved.status} from ${saved.servedBy}: ${saved.body.slice(0, 200)}`
						);
					const view = await request(page, { cookie, from });
					if (view.status !== 200) failures.push(`view ${view.status} from ${view.servedBy}`);
				} catch (e) {
					failures.push(`${action}: ${(e as Error).message}`);
				}
			}
		};

		// Watch A from HAProxy's side and from a client's: when it is marked down, when it stops listening.
		const a = instances.a;
		let markedDownAt = 0;
		let closedAt = 0;
		const watch = (async () => {
			while (!closedAt) {
				const now = Date.now();
				if (!markedDownAt && (await haproxy.states()).a !== 2) markedDownAt = now;
				if (!(await listening(ports.a))) closedAt = now;
				await sleep(50);
			}
		})();

		const workers = Array.from({ length: 6 }, (_, w) => worker(w));
		await sleep(1500);
		const savedBeforeStop = acknowledged.length;
		const signalledAt = Date.now();
		a.child.kill('SIGTERM');
		await sleep(200);
		const drainingAnswer = await request(`http://127.0.0.1:${ports.a}/readyz`).catch(
			() => undefined
		);
		const code = await a.exited;
		const exitedAt = Date.now();
		await watch;
		await sleep(1000);
		stop = true;
		await Promise.all(workers);

		expect(code).toBe(0);
		expect(drainingAnswer?.status).toBe(503);
		expect(drainingAnswer?.body).toContain('shutting down');
		expect(savedBeforeStop).toBeGreaterThan(0);
		expect(servedBy.a).toBeGreaterThan(0);
		expect(servedBy.b).toBeGreaterThan(0);
		// HAProxy took A out while it still answered; it stopped listening after the drain.
		expect(markedDownAt).toBeGreaterThan(signalledAt);
		expect(markedDownAt).toBeLessThan(closedAt);
		expect(closedAt - signalledAt).toBeGreaterThanOrEqual(DRAIN_SECONDS * 1000 - 100);
		expect(exitedAt).toBeGreaterThanOrEqual(closedAt - 100);
		expect(failures).toEqual([]);
		// Every save the load was told succeeded is in the database.
		const rows = await sql<{ action: string }[]>`
			select action from plan_item where action like 'cluster save %'`;
		const stored = new Set(rows.map((r) => r.action));
		expect(acknowledged.filter((x) => !stored.has(x))).toEqual([]);
		expect(acknowledged.length).toBeGreaterThan(savedBeforeStop);
	}, 60_000);

	it('answers 503 while PostgreSQL refuses it and recovers without a restart', async () => {
		const b = `http://127.0.0.1:${ports.b}`;
		const page = (timeout: number) =>
			request(`${b}/login`, { headers: { 'X-Forwarded-For': '127.0.0.8' }, timeout });
		await admin.unsafe(`alter database ${dbName} with allow_connections false`);
		try {
			await admin.unsafe(
				`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${dbName}' and pid <> pg_backend_pid()`
			);
			await sql.end({ timeout: 1 }).catch(() => {});
			await waitFor(
				'B to say the database is unavailable',
				async () =>
					(await request(`${b}/readyz`, { timeout: 5000 })).body === 'database unavailable\n',
				20_000
			);
			await waitFor(
				'a page from B to answer 503',
				async () => {
					const answer = await page(5000);
					return answer.status === 503 && answer.headers['retry-after'] === '5';
				},
				30_000
			);
		} finally {
			await admin.unsafe(`alter database ${dbName} with allow_connections true`);
		}
		await waitFor(
			'B to recover',
			async () => (await ready(ports.b)()) && (await page(5000)).status === 200,
			60_000
		);
		expect(instances.b.child.exitCode).toBeNull();
	}, 150_000);
});
