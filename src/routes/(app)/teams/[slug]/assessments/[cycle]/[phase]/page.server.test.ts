import { describe, expect, it } from 'vitest';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import { render } from 'svelte/server';
import type { Database } from '$lib/server/db';
import * as schema from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { recordUpload } from '$lib/server/findings/record';
import { ranWithoutFindings } from '$lib/server/findings/testing/runs';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { actions, load } from './+page.server';
import PipelineFacts from './PipelineFacts.svelte';
import Page from './+page.svelte';
import { getModel } from '$lib/server/model/load-model';
import { assessmentProgressOf } from '$lib/server/assessments/overview';
import { and, eq } from 'drizzle-orm';

/*
 * The phase form beside the pipelines: each criterion with an evidence rule shows what the team's
 * scans say, read with the answers in the statement the page already runs.
 */
describe('the phase form shows the facts from the pipelines', () => {
	const t = testOrganisation();
	const ann = (): SessionUser => {
		const u = t.org.users.find((x) => x.name === 'Ann')!;
		return { id: u.id, email: u.email, name: u.name, role: 'member' };
	};
	/** The same database, with every statement it runs counted. */
	const counted = (handle: typeof t.handle) => {
		const seen: string[] = [];
		const logger: Logger = { logQuery: (q) => void seen.push(q) };
		const client = (handle.db as unknown as { $client: unknown }).$client;
		const db = (handle.kind === 'pglite'
			? drizzlePglite({ client: client as PGlite, schema, logger })
			: drizzlePostgres({ client: client as Sql, schema, logger })) as unknown as Database;
		return { db, seen };
	};
	const open = (db: Database, slug: string, phase: string) =>
		load({
			locals: { db, user: ann(), ip: '127.0.0.1' },
			params: { slug, cycle: '2026-Q2', phase },
			url: new URL(`http://127.0.0.1/teams/${slug}/assessments/2026-Q2/${phase}`)
		} as never) as Promise<{
			practices: {
				levels: { criteria: { id: string; pipeline: Record<string, unknown> | null }[] }[];
			}[];
		}>;
	const criterion = (data: Awaited<ReturnType<typeof open>>, id: string) =>
		data.practices.flatMap((p) => p.levels.flatMap((l) => l.criteria)).find((c) => c.id === id)!;

	it('reads the team’s runs once per data revision, and again after an upload', async () => {
		const runsRead = (seen: string[]) =>
			seen.filter((q) => q.includes('from analysis ev_a')).length;
		const views = counted(t.handle);
		await open(views.db, 'alpha', 'build');
		expect(runsRead(views.seen)).toBe(1);
		await open(views.db, 'alpha', 'build');
		await open(views.db, 'alpha', 'build');
		expect(runsRead(views.seen)).toBe(1);
		// A phase without criteria a pipeline can confirm does not read them.
		const plan = counted(t.handle);
		await open(plan.db, 'alpha', 'plan');
		expect(runsRead(plan.seen)).toBe(0);
		const data = await open(t.db, 'alpha', 'build');
		// No scans yet: nothing to show.
		expect(criterion(data, 'dependency-scanning.2.a').pipeline).toBeNull();

		const now = Date.now();
		const upload = (repository: string, ref: string, days: number, tool: string) =>
			recordUpload(
				t.db,
				{
					teamId: t.org.team('alpha'),
					tokenId: null,
					repository,
					ref,
					commit: null,
					category: null,
					report: ranWithoutFindings(tool)
				},
				new Date(now - days * 86_400_000)
			);
		await upload('payments/api', 'refs/pull/3/merge', 2, 'Grype');
		await upload('payments/api', 'main', 1, 'Gitleaks');
		await upload('payments/web', 'main', 5, 'Grype');
		await open(views.db, 'alpha', 'build');
		expect(runsRead(views.seen)).toBe(2);
	});

	it('gives each criterion with a rule its facts, and the others none', async () => {
		const data = await open(t.db, 'alpha', 'build');
		expect(criterion(data, 'dependency-scanning.2.a').pipeline).toEqual({
			tools: ['Grype'],
			covered: 1,
			repositories: 2,
			missing: ['payments/web'],
			categories: ['Software composition analysis (SCA)', 'Container image scanning'],
			branch: 'pull-requests',
			maxAgeDays: 30
		});
		expect(criterion(data, 'dependency-scanning.1.b').pipeline).toMatchObject({
			covered: 2,
			repositories: 2
		});
		expect(criterion(data, 'secret-detection.2.a').pipeline).toMatchObject({
			tools: ['Gitleaks'],
			covered: 1
		});
		expect(criterion(data, 'dependency-scanning.1.a').pipeline).toBeNull();
		// Another team's page shows none of Alpha's scans.
		const gamma = await load({
			locals: { db: t.db, user: { ...ann(), role: 'security' }, ip: '127.0.0.1' },
			params: { slug: 'gamma', cycle: '2026-Q2', phase: 'build' },
			url: new URL('http://127.0.0.1/teams/gamma/assessments/2026-Q2/build')
		} as never);
		expect(criterion(gamma as never, 'dependency-scanning.2.a').pipeline).toBeNull();
	});

	it('words the facts and marks a contradicted answer in text', async () => {
		const data = await open(t.db, 'alpha', 'build');
		const facts = criterion(data, 'dependency-scanning.2.a').pipeline as never;
		const text = (value: number | null) =>
			render(PipelineFacts, { props: { facts, value, id: 'p' } })
				.body.replace(/<!--[^>]*-->/g, '')
				.replace(/<[^>]+>/g, '')
				.replace(/\s+/g, ' ')
				.trim();
		expect(text(null)).toBe(
			'From the pipelines: Grype ran on 1 of 2 repositories in the last 30 days on pull requests. Without a run: payments/web.'
		);
		expect(text(1)).toContain(
			'Contradicted by the pipelines: the answer is “All”, but only 1 of 2 repositories had a qualifying run.'
		);
		expect(text(0.5)).toContain('Backed by the pipelines.');
		expect(text(0.25)).not.toMatch(/Contradicted|Backed/);
	});

	it('without JavaScript, asking for a criterion’s fields saves the phase and names that criterion', async () => {
		const fay = t.org.users.find((x) => x.name === 'Fay')!;
		const lead: SessionUser = { id: fay.id, email: fay.email, name: fay.name, role: 'member' };
		const save = (fields: Record<string, string>) => {
			const url = new URL('http://127.0.0.1/teams/gamma/assessments/2026-Q2/build?/savePhase');
			const body = new FormData();
			for (const [k, v] of Object.entries(fields)) body.append(k, v);
			return actions.savePhase!({
				locals: { db: t.db, user: lead, ip: '127.0.0.1' },
				params: { slug: 'gamma', cycle: '2026-Q2', phase: 'build' },
				url,
				request: new Request(url, { method: 'POST', body })
			} as never) as Promise<Record<string, unknown>>;
		};
		const answered = async () =>
			criterion(
				(await load({
					locals: { db: t.db, user: lead, ip: '127.0.0.1' },
					params: { slug: 'gamma', cycle: '2026-Q2', phase: 'build' },
					url: new URL('http://127.0.0.1/teams/gamma/assessments/2026-Q2/build')
				} as never)) as never,
				'dependency-scanning.1.a'
			) as unknown as { answer: { value: number | null; version: number } };
		const before = (await answered()).answer;
		// A choice made on the page is not lost when the fields of another criterion are asked for.
		const result = await save({
			'value:dependency-scanning.1.a': '0.5',
			'baseVersion:dependency-scanning.1.a': String(before.version),
			'fingerprint:dependency-scanning.1.a': 'as rendered',
			notes: 'dependency-scanning.2.a'
		});
		expect(result).toMatchObject({
			action: 'savePhase',
			saved: 1,
			notes: 'dependency-scanning.2.a'
		});
		expect((await answered()).answer).toMatchObject({ value: 0.5, version: before.version + 1 });
		// Only this phase's criteria are named back; anything else is ignored.
		expect(await save({ notes: 'threat-modeling.1.a' })).toMatchObject({ notes: null });
		expect(await save({ notes: 'dependency-scanning.2.a' })).toMatchObject({
			saved: 0,
			notice: null,
			notes: 'dependency-scanning.2.a'
		});
	});

	it('counts the phase’s answers from the answers it shows, as the overview counts them', async () => {
		const fay = t.org.users.find((x) => x.name === 'Fay')!;
		const lead: SessionUser = { id: fay.id, email: fay.email, name: fay.name, role: 'member' };
		const event = (query = '') => {
			const url = new URL(`http://127.0.0.1/teams/gamma/assessments/2026-Q2/build${query}`);
			return {
				locals: { db: t.db, user: lead, ip: '127.0.0.1' },
				params: { slug: 'gamma', cycle: '2026-Q2', phase: 'build' },
				url
			};
		};
		const [gamma] = await t.db
			.select({ id: schema.assessment.id })
			.from(schema.assessment)
			.innerJoin(schema.team, eq(schema.team.id, schema.assessment.teamId))
			.innerJoin(schema.cycle, eq(schema.cycle.id, schema.assessment.cycleId))
			.where(and(eq(schema.team.slug, 'gamma'), eq(schema.cycle.name, '2026-Q2')));
		const page = async () => {
			const data = await load(event() as never);
			const text = render(Page, { props: { data, form: null } as never }).body;
			const build = (await assessmentProgressOf(t.db, getModel(), gamma!.id))[2]!;
			expect(build.name).toBe('Build');
			return { text, build };
		};
		const shows = ({ text, build }: Awaited<ReturnType<typeof page>>) => {
			expect(text).toContain(
				`<progress max="${build.total}" value="${build.answered}" aria-label="Build: criteria answered"></progress>`
			);
			expect(text).toContain(
				`<strong>${build.answered} of ${build.total}</strong> answered in Build`
			);
			expect(text).toContain(`<a href="#criterion-${build.unanswered[0]!.id}">Next unanswered</a>`);
		};
		const before = await page();
		expect(before.build.answered).toBeGreaterThan(0);
		shows(before);
		// A practice marked not applicable needs no answers: it leaves the count and the next one.
		const url = new URL('http://127.0.0.1/teams/gamma/assessments/2026-Q2/build?/savePractice');
		const body = new FormData();
		for (const [k, v] of Object.entries({
			practiceId: 'dependency-scanning',
			notApplicable: 'true',
			reason: 'No third-party code.',
			target: '',
			baseVersion: '1'
		}))
			body.append(k, v);
		expect(
			await actions.savePractice!({
				...event('?/savePractice'),
				request: new Request(url, { method: 'POST', body })
			} as never)
		).toMatchObject({ action: 'savePractice' });
		const after = await page();
		expect(after.build.total).toBeLessThan(before.build.total);
		shows(after);
	});
});
