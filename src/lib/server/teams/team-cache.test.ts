import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import { countStatements } from '$lib/server/db/test-db';
import { columnsOf, relationsOf } from '$lib/server/db/query-plan';
import { saveAnswer, savePracticeSettings } from '$lib/server/assessments/assessments';
import { phaseAnswersQuery, phaseForm } from '$lib/server/assessments/phase-form';
import { setCycleStatus } from '$lib/server/assessments/cycles';
import { loadModel } from '$lib/server/model/load-model';
import { changePlanStatus, createPlanItem } from '$lib/server/plan/items';
import { saveRota, swapTurn } from '$lib/server/responsibility/rota-store';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { TeamSlug } from '$lib/server/testing/organisation';
import { setAdoption } from '$lib/server/tools/adoption';
import { completeLesson, submitQuiz } from '$lib/server/training/learning';
import { loadTraining } from '$lib/server/training/load-training';
import { CHAMPION_TRACK_ID } from '$lib/server/training/types';
import { setUserActive, updateProfile } from '$lib/server/users/accounts';
import { accessStatements } from '$lib/server/auth/guard';
import { addTeamMember, removeTeamMember, updateTeamMember } from './members';
import { renameOrgUnit } from './org-units';
import { reviewWorkspace, workspaceQuery } from '$lib/server/assessments/review-workspace';
import { answerQuestion, askQuestion } from '$lib/server/assessments/questions';
import { assessmentContradictions, claimsQuery } from '$lib/server/evidence/claims';
import { readTeamPage, teamPageQuery } from './team-page';
import { TeamCache, teamCacheOf } from './team-cache';
import { setTeamActive, updateTeam } from './teams';

const model = loadModel();
const training = loadTraining(new Set(model.practiceById.keys()));

describe('kept team data, by itself', () => {
	it('drops one team, the team of one assessment, or every team', () => {
		const cache = new TeamCache();
		const g = cache.generation;
		cache.keep('page:alpha', 'alpha', 'alpha-1', ['a-q1', 'a-q2'], g);
		cache.keep('page:beta', 'beta', 'beta-1', ['b-q1'], g);
		cache.keep('page:gamma', 'gamma', 'gamma-1', [], g);
		cache.changed('alpha');
		expect([cache.get('page:alpha'), cache.get('page:beta')]).toEqual([undefined, 'beta-1']);
		cache.changed('a:b-q1');
		expect([cache.get('page:beta'), cache.get('page:gamma')]).toEqual([undefined, 'gamma-1']);
		// An assessment no kept entry shows drops nothing.
		cache.changed('a:a-q1');
		expect(cache.get('page:gamma')).toBe('gamma-1');
		cache.changed('*');
		expect(cache.size).toBe(0);
	});

	it('drops the entries showing a changed assessment, and every entry of a changed team', () => {
		const cache = new TeamCache();
		const g = cache.generation;
		cache.keep('page:alpha', 'alpha', 'page', ['a-q1', 'a-q2'], g);
		cache.keep('review:a-q2', 'alpha', 'workspace', ['a-q2', 'a-q1'], g);
		cache.keep('claims:a-q1', 'alpha', 'claims', ['a-q1'], g);
		cache.keep('guard.team:u:alpha', 'alpha', 'access', [], g);
		cache.keep('page:beta', 'beta', 'beta-1', ['b-q1'], g);
		const left = () =>
			['page:alpha', 'review:a-q2', 'claims:a-q1', 'guard.team:u:alpha', 'page:beta'].map((k) =>
				cache.get(k)
			);
		// Answers of 2026-Q2 changed: what shows them goes; last cycle's claims and the access stay.
		cache.changed('a:a-q2');
		expect(left()).toEqual([undefined, undefined, 'claims', 'access', 'beta-1']);
		cache.changed('alpha');
		expect(left()).toEqual([undefined, undefined, undefined, undefined, 'beta-1']);
	});

	it("forgets a dropped team's assessments, and follows an entry read again", () => {
		const cache = new TeamCache();
		cache.keep('page:alpha', 'alpha', 'alpha-1', ['a-q1'], cache.generation);
		cache.keep('page:alpha', 'alpha', 'alpha-2', ['a-q1', 'a-q2'], cache.generation);
		expect(cache.get('page:alpha')).toBe('alpha-2');
		cache.changed('a:a-q2');
		expect(cache.get('page:alpha')).toBeUndefined();
		cache.keep('page:beta', 'beta', 'beta-1', ['b-q1'], cache.generation);
		cache.changed('a:a-q1');
		expect(cache.get('page:beta')).toBe('beta-1');
	});

	it('does not keep what was read before a change arrived, even one to another team', () => {
		const cache = new TeamCache();
		const before = cache.generation;
		cache.changed('beta');
		cache.keep('page:alpha', 'alpha', 'read before the change', [], before);
		expect(cache.get('page:alpha')).toBeUndefined();
	});

	it('holds at most its limit, the oldest going first', () => {
		const cache = new TeamCache(2);
		for (const n of [1, 2, 3]) cache.keep(`page:t${n}`, `t${n}`, n, [`a${n}`], cache.generation);
		expect([cache.get('page:t1'), cache.get('page:t2'), cache.get('page:t3')]).toEqual([
			undefined,
			2,
			3
		]);
		cache.changed('a:a1');
		expect(cache.size).toBe(2);
	});
});

/*
 * Each test views a team page (kept, on the embedded database), writes what the page shows the
 * way the application does, and checks the very next view shows the write, while the page of a
 * team the write did not touch stays kept. The same tests run on PostgreSQL, where nothing is
 * kept and every view reads.
 */
describe('a viewed team page after what it read changes', () => {
	const t = testOrganisation();
	const ctx = () => ({ actorId: t.org.adminId, ip: '127.0.0.1' });
	const view = (slug: TeamSlug) => readTeamPage(t.db, t.org.team(slug));
	const pglite = () => t.handle.kind === 'pglite';
	const kept = (slug: TeamSlug) => teamCacheOf(t.db)?.get(`page:${t.org.team(slug)}`) !== undefined;
	/** Gamma and Alpha viewed (so kept, on the embedded database). */
	const viewed = async () => {
		const gamma = await view('gamma');
		await view('alpha');
		if (pglite()) expect([kept('gamma'), kept('alpha')]).toEqual([true, true]);
		return gamma;
	};
	/** Gamma's newest assessment: a draft of 2026-Q2. */
	const gammaDraft = async () => (await view('gamma')).assessments[0]!;
	const must = (result: { ok: boolean }) => expect(result).toMatchObject({ ok: true });

	it('answers the next view from memory on the embedded database only', async () => {
		await viewed();
		expect(teamCacheOf(t.db) !== undefined).toBe(pglite());
		if (!pglite()) return;
		const statements = countStatements(t.db);
		try {
			const again = await view('gamma');
			expect(statements.count).toBe(0);
			expect(again.members.map((m) => m.name)).toEqual(['Fay', 'Bo']);
			// Views share the kept rows: nobody may change them.
			expect(Object.isFrozen(again.members[0])).toBe(true);
			expect(() => (again.members as unknown[]).push({})).toThrow(TypeError);
		} finally {
			statements.stop();
		}
	});

	it('shows a saved answer and practice settings (answer, assessment_practice, assessment_phase, assessment)', async () => {
		const draft = await gammaDraft();
		await viewed();
		must(
			await saveAnswer(t.db, ctx(), model, {
				assessmentId: draft.id,
				criterionId: 'threat-modeling.1.a',
				value: 1,
				comment: '',
				evidence: [],
				baseVersion: 0
			})
		);
		if (pglite()) expect(kept('alpha')).toBe(true);
		const after = await view('gamma');
		expect(after.answers).toContainEqual(['threat-modeling.1.a', 1]);
		const practice = after.practices.find(
			(p) => p.assessmentId === draft.id && p.practiceId === 'threat-modeling'
		);
		expect(practice?.score).toBeGreaterThan(0);
		expect(
			after.phases.find((p) => p.assessmentId === draft.id && p.score !== null && p.score > 0)
		).toBeDefined();
		expect(after.assessments[0]!.score).toBeGreaterThan(0);

		await viewed();
		must(
			await savePracticeSettings(t.db, ctx(), model, {
				assessmentId: draft.id,
				practiceId: 'static-analysis',
				notApplicable: false,
				reason: '',
				target: 2,
				baseVersion: await practiceVersion(draft.id, 'static-analysis')
			})
		);
		if (pglite()) expect(kept('alpha')).toBe(true);
		expect(
			(await view('gamma')).practices.find(
				(p) => p.assessmentId === draft.id && p.practiceId === 'static-analysis'
			)?.target
		).toBe(2);
	});
	const practiceVersion = async (assessmentId: string, practiceId: string) => {
		const [row] = await t.db
			.select({ version: table.assessmentPractice.version })
			.from(table.assessmentPractice)
			.where(
				and(
					eq(table.assessmentPractice.assessmentId, assessmentId),
					eq(table.assessmentPractice.practiceId, practiceId)
				)
			);
		return row?.version ?? 1;
	};

	it('shows a saved answer, its version and practice settings on the phase form, and keeps other teams’', async () => {
		const draft = await gammaDraft();
		const cycle = t.org.cycles.find((c) => c.name === '2026-Q2')!;
		const phase = model.phases.find((p) => p.id === 'build')!;
		const form = () =>
			phaseForm(
				t.db,
				model,
				{ team: { id: t.org.team('gamma') }, assessment: { id: draft.id }, cycle } as never,
				phase
			);
		const id = phase.practices[0]!.levels[0]!.criteria[0]!.id;
		const criterion = async () =>
			(await form()).practices
				.flatMap((p) => p.levels.flatMap((l) => l.criteria))
				.find((c) => c.id === id)!;
		const before = await criterion();
		await viewed();
		if (pglite()) expect(teamCacheOf(t.db)?.get(`phase:${draft.id}:build`)).toBeDefined();
		must(
			await saveAnswer(t.db, ctx(), model, {
				assessmentId: draft.id,
				criterionId: id,
				value: 0.5,
				comment: 'Scanned weekly',
				evidence: [],
				baseVersion: before.answer.version
			})
		);
		if (pglite()) expect(kept('alpha')).toBe(true);
		expect((await criterion()).answer).toMatchObject({
			value: 0.5,
			comment: 'Scanned weekly',
			version: before.answer.version + 1
		});
		const settings = async () => (await form()).practices[0]!.settings;
		must(
			await savePracticeSettings(t.db, ctx(), model, {
				assessmentId: draft.id,
				practiceId: phase.practices[0]!.id,
				notApplicable: false,
				reason: '',
				target: 3,
				baseVersion: (await settings()).version
			})
		);
		expect(await settings()).toMatchObject({ target: 3 });
	});

	it('shows members added, changed and removed (team_member)', async () => {
		await viewed();
		must(
			await addTeamMember(t.db, ctx(), t.org.team('gamma'), {
				email: 'gus@example.com',
				role: 'member',
				champion: false
			})
		);
		if (pglite()) expect(kept('alpha')).toBe(true);
		expect((await view('gamma')).members.map((m) => m.name)).toContain('Gus');
		await viewed();
		must(
			await updateTeamMember(t.db, ctx(), t.org.team('gamma'), {
				userId: t.org.user('Gus'),
				role: 'member',
				champion: true
			})
		);
		expect((await view('gamma')).members.find((m) => m.name === 'Gus')?.champion).toBe(true);
		await viewed();
		must(await removeTeamMember(t.db, ctx(), t.org.team('gamma'), t.org.user('Gus')));
		if (pglite()) expect(kept('alpha')).toBe(true);
		expect((await view('gamma')).members.map((m) => m.name)).not.toContain('Gus');
	});

	it('shows plan items added and closed (plan_item)', async () => {
		await viewed();
		const created = await createPlanItem(t.db, ctx(), model, t.org.team('gamma'), {
			practiceId: 'threat-modeling',
			criterionId: 'threat-modeling.1.b',
			action: 'Model the payment flow',
			ownerId: t.org.user('Bo'),
			dueOn: '2027-01-31',
			source: 'manual',
			questionId: null
		});
		must(created);
		if (pglite()) expect(kept('alpha')).toBe(true);
		const item = (await view('gamma')).plan.find((i) => i.action === 'Model the payment flow');
		expect(item?.ownerName).toBe('Bo');
		await viewed();
		must(
			await changePlanStatus(t.db, ctx(), t.org.team('gamma'), item!.id, {
				status: 'done',
				baseVersion: item!.version
			})
		);
		expect((await view('gamma')).plan.map((i) => i.id)).not.toContain(item!.id);
	});

	it('shows the rota saved and a turn swapped (rota, rota_member, rota_swap)', async () => {
		await viewed();
		const today = '2026-11-30';
		must(
			await saveRota(t.db, ctx(), t.org.team('gamma'), {
				rotationWeeks: 1,
				startsOn: today,
				members: [t.org.user('Fay'), t.org.user('Bo')]
			})
		);
		if (pglite()) expect(kept('alpha')).toBe(true);
		const rota = (await view('gamma')).rota;
		expect(rota?.members).toEqual([t.org.user('Fay'), t.org.user('Bo')]);
		await viewed();
		must(
			await swapTurn(
				t.db,
				ctx(),
				t.org.team('gamma'),
				{ turnStart: today, userId: t.org.user('Bo') },
				today
			)
		);
		expect((await view('gamma')).rota?.swaps).toEqual([[today, t.org.user('Bo')]]);
	});

	it('shows a tool adopted (tool_adoption) and none once the team is archived (team)', async () => {
		await viewed();
		must(
			await setAdoption(t.db, ctx(), t.org.team('gamma'), {
				toolId: 'gitleaks',
				state: 'adopted',
				since: null
			})
		);
		if (pglite()) expect(kept('alpha')).toBe(true);
		expect((await view('gamma')).ownTools).toContain('gitleaks');
		await viewed();
		await setTeamActive(t.db, ctx(), t.org.team('gamma'), false);
		expect((await view('gamma')).ownTools).toEqual([]);
		await setTeamActive(t.db, ctx(), t.org.team('gamma'), true);
		expect((await view('gamma')).ownTools).toContain('gitleaks');
	});

	it("shows the team's unit moved and renamed (team, org_unit)", async () => {
		await viewed();
		const gamma = t.org.teams.find((x) => x.slug === 'gamma')!;
		must(
			await updateTeam(t.db, ctx(), gamma.id, {
				name: gamma.name,
				slug: gamma.slug,
				orgUnitId: t.org.unit('Payments'),
				description: ''
			})
		);
		if (pglite()) expect(kept('alpha')).toBe(true);
		expect((await view('gamma')).unit).toEqual({ unit: 'Payments', department: 'Engineering' });
		await viewed();
		must(await renameOrgUnit(t.db, ctx(), t.org.unit('Payments'), 'Payments & Billing'));
		expect((await view('gamma')).unit?.unit).toBe('Payments & Billing');
	});

	it("shows a cycle's new status (cycle)", async () => {
		await viewed();
		const q1 = t.org.cycle('2026-Q1');
		must(await setCycleStatus(t.db, ctx(), q1, 'closed'));
		const q1Row = (await view('gamma')).assessments.find((a) => a.cycle === '2026-Q1');
		expect(q1Row?.cycleStatus).toBe('closed');
		must(await setCycleStatus(t.db, ctx(), q1, 'open'));
		expect((await view('gamma')).assessments.find((a) => a.cycle === '2026-Q1')?.cycleStatus).toBe(
			'open'
		);
	});

	it("shows a champion's lessons and quiz attempts (lesson_progress, quiz_attempt)", async () => {
		// Bo is Gamma's champion (and a member of Alpha, whose page changes too).
		const module = training.moduleById.get(training.trackById.get(CHAMPION_TRACK_ID)!.modules[0]!)!;
		const bo = { id: t.org.user('Bo'), name: 'Bo' };
		await viewed();
		await view('beta');
		await completeLesson(t.db, training, bo, module.id, module.lessons[0]!.id);
		if (pglite()) expect(kept('beta')).toBe(true);
		expect((await view('gamma')).lessons).toContainEqual(
			expect.objectContaining({ userId: bo.id, moduleId: module.id })
		);
		await viewed();
		const answers = Object.fromEntries(module.quiz.questions.map((q) => [q.id, q.correct]));
		await submitQuiz(t.db, training, bo, module.id, answers, null);
		expect((await view('gamma')).quizzes).toContainEqual(
			expect.objectContaining({ userId: bo.id, moduleId: module.id, attempts: 1, passed: true })
		);
	});

	it("shows a member's new name, email and deactivation (user), and keeps other teams' pages but after a rename", async () => {
		await viewed();
		await updateProfile(t.db, { actorId: t.org.user('Fay'), ip: '' }, 'Fay Renamed');
		// A name can be shown on any team's data (a reviewer's questions, an answer's author), so
		// a rename drops every team's (migration 0020).
		if (pglite()) expect(kept('alpha')).toBe(false);
		expect((await view('gamma')).members.map((m) => m.name)).toContain('Fay Renamed');
		await viewed();
		await t.db
			.update(table.user)
			.set({ email: 'fay.renamed@example.com' })
			.where(eq(table.user.id, t.org.user('Fay')));
		if (pglite()) expect(kept('alpha')).toBe(true);
		expect((await view('gamma')).members.find((m) => m.name === 'Fay Renamed')?.email).toBe(
			'fay.renamed@example.com'
		);
		await viewed();
		must(await setUserActive(t.db, ctx(), t.org.user('Fay'), false));
		expect((await view('gamma')).members.find((m) => m.name === 'Fay Renamed')?.active).toBe(false);
		must(await setUserActive(t.db, ctx(), t.org.user('Fay'), true));
		expect((await view('gamma')).members.find((m) => m.name === 'Fay Renamed')?.active).toBe(true);
		// Signing in touches the user row, not what the page shows: the page stays kept.
		await viewed();
		await t.db
			.update(table.user)
			.set({ name: 'Fay Renamed' })
			.where(eq(table.user.id, t.org.user('Fay')));
		if (pglite()) expect(kept('gamma')).toBe(true);
	});

	it('shows the new name of a plan item owner who left the team (user, plan_item)', async () => {
		const created = await createPlanItem(t.db, ctx(), model, t.org.team('alpha'), {
			practiceId: 'code-review',
			criterionId: null,
			action: 'Review every change',
			ownerId: t.org.user('Bo'),
			dueOn: '2027-02-28',
			source: 'manual',
			questionId: null
		});
		must(created);
		must(await removeTeamMember(t.db, ctx(), t.org.team('alpha'), t.org.user('Bo')));
		await viewed();
		await updateProfile(t.db, { actorId: t.org.user('Bo'), ip: '' }, 'Bo Left');
		expect(
			(await view('alpha')).plan.find((i) => i.action === 'Review every change')?.ownerName
		).toBe('Bo Left');
	});

	it('keeps the page when a write rolls back, and drops it when the same write commits', async () => {
		await viewed();
		const add = (tx: typeof t.db) =>
			addTeamMember(tx, ctx(), t.org.team('gamma'), {
				email: 'cy@example.com',
				role: 'member',
				champion: false
			});
		await t.db
			.transaction(async (tx) => {
				must(await add(tx as typeof t.db));
				tx.rollback();
			})
			.catch(() => {});
		if (pglite()) expect(kept('gamma')).toBe(true);
		expect((await view('gamma')).members.map((m) => m.name)).not.toContain('Cy');
		await t.db.transaction(async (tx) => {
			must(await add(tx as typeof t.db));
		});
		if (pglite()) expect(kept('gamma')).toBe(false);
		expect((await view('gamma')).members.map((m) => m.name)).toContain('Cy');
	});

	/** Every statement whose rows are kept with a team's data (teams/team-cache.ts). */
	const keptStatements = async () => {
		const gamma = await view('gamma');
		const assessmentId = gamma.assessments[0]!.id;
		const cycle = t.org.cycles.find((c) => c.name === '2026-Q2')!;
		return [
			teamPageQuery(t.org.team('gamma')),
			phaseAnswersQuery(
				{ team: { id: t.org.team('gamma') }, assessment: { id: assessmentId }, cycle },
				['threat-modeling.1.a', 'code-review.1.a']
			),
			workspaceQuery(assessmentId, true),
			workspaceQuery(assessmentId, false),
			claimsQuery(assessmentId, ['dependency-scanning.1.a', 'secret-detection.1.a']),
			...[
				accessStatements.teamAccess,
				accessStatements.assessmentAccess,
				accessStatements.assessmentId
			].map((statement) => {
				const { sql: text, params } = statement(t.db).toSQL();
				const values: Record<string, string> = {
					userId: t.org.user('Fay'),
					teamId: t.org.team('gamma'),
					slug: 'gamma',
					cycleName: '2026-Q2'
				};
				return sql.raw(
					text.replace(/\$(\d+)/g, (_, n: string) => {
						const name = (params[Number(n) - 1] as { name: string }).name;
						return `'${values[name]}'`;
					})
				);
			})
		];
	};
	const plansOf = async (verbose: boolean) => {
		const plans: unknown[] = [];
		for (const statement of await keptStatements()) {
			const [plan] = rowsOf<{ 'QUERY PLAN': unknown }>(
				await t.db.execute(
					verbose
						? sql`explain (format json, verbose) ${statement}`
						: sql`explain (format json) ${statement}`
				)
			);
			const raw = plan!['QUERY PLAN'];
			plans.push(typeof raw === 'string' ? JSON.parse(raw) : raw);
		}
		return plans;
	};
	const notifiers = sql`('notify_team_change', 'notify_assessment_rows_change',
		'notify_question_message_change', 'notify_every_team_change')`;

	it('has a team_change trigger on every table the kept statements read', async () => {
		const read = relationsOf(await plansOf(false));
		expect([...read]).toEqual(
			expect.arrayContaining([
				'answer',
				'assessment_phase',
				'lesson_progress',
				'rota_swap',
				'review_question',
				'question_message'
			])
		);
		const triggers = rowsOf<{ relname: string; events: number }>(
			await t.db.execute(sql`
				select c.relname, bit_or(t.tgtype::int) as events from pg_trigger t
				join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
				where p.proname in ${notifiers} and not t.tgisinternal
				group by c.relname`)
		);
		const events = new Map(triggers.map((r) => [r.relname, r.events]));
		// pg_trigger.tgtype: INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32.
		const named = (bits: number) =>
			(
				[
					[4, 'insert'],
					[8, 'delete'],
					[16, 'update'],
					[32, 'truncate']
				] as const
			)
				.filter(([bit]) => bits & bit)
				.map(([, name]) => name);
		// A new user, cycle or org unit is on no team's page until a team row points to it.
		const insertNotNeeded = new Set(['user', 'cycle', 'org_unit']);
		const missing = [...read]
			.map((relation) => {
				const has = named(events.get(relation) ?? 0);
				const need = ['delete', 'update', 'truncate'];
				if (!insertNotNeeded.has(relation)) need.push('insert');
				const lacking = need.filter((e) => !has.includes(e as never));
				return lacking.length ? `${relation}: ${lacking.join(', ')}` : '';
			})
			.filter(Boolean);
		expect(missing, 'tables a kept statement reads without a team_change trigger').toEqual([]);
	});

	it('reads no column that a trigger with a WHEN clause leaves out', async () => {
		// Each statement on its own: aliases mean different tables in different statements.
		const read = new Map<string, Set<string>>();
		for (const plan of await plansOf(true))
			for (const [relation, columns] of columnsOf(plan)) {
				if (!read.has(relation)) read.set(relation, new Set());
				for (const c of columns) read.get(relation)!.add(c);
			}
		const filtered = rowsOf<{ relname: string; definition: string }>(
			await t.db.execute(sql`
				select c.relname, pg_get_triggerdef(t.oid) as definition from pg_trigger t
				join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
				where p.proname in ${notifiers} and not t.tgisinternal and t.tgqual is not null`)
		);
		// Updates of user (a sign-in), answer, assessment_practice, assessment_phase and
		// assessment (every save) notify only when a column a kept statement reads changes.
		expect([...new Set(filtered.map((f) => f.relname))].sort()).toEqual([
			'answer',
			'assessment',
			'assessment_phase',
			'assessment_practice',
			'user'
		]);
		// Scores are computed from the answers' values and the practice settings in the statement
		// or transaction that changes those, which notifies already (migration 0019): a save fires
		// one trigger instead of four. A writer that changes scores alone must notify itself.
		const watched = new Map<string, Set<string>>([
			// …and an assessment's updated_at with them (what the access checks read).
			['assessment', new Set(['score', 'updated_at'])],
			['assessment_practice', new Set(['score', 'achieved_level'])],
			['assessment_phase', new Set(['score'])]
		]);
		for (const { relname, definition } of filtered) {
			if (!watched.has(relname)) watched.set(relname, new Set());
			for (const m of definition.matchAll(/\bold\.(\w+)/gi)) watched.get(relname)!.add(m[1]!);
		}
		const unwatched = [...watched].flatMap(([relname, columns]) =>
			[...(read.get(relname) ?? [])]
				.filter((column) => !columns.has(column))
				.map((column) => `${relname}.${column}`)
		);
		expect(
			unwatched,
			"columns a kept statement reads that no WHEN clause of migrations 0019-0020's triggers compares"
		).toEqual([]);
		// The scan of answers is seen (so a column added there would be).
		expect([...(read.get('answer') ?? [])]).toEqual(expect.arrayContaining(['value']));
	});
});

/*
 * The reviewer's workspace and the claims the pipelines are checked against are kept with the
 * team's data too (migration 0020): each test views Alpha's submitted 2026-Q2 assessment (its
 * baseline is 2026-Q1, approved), writes what the workspace shows, and checks the next view.
 */
describe('a reviewer’s workspace and an assessment’s claims after what they read changes', () => {
	const t = testOrganisation();
	const pglite = () => t.handle.kind === 'pglite';
	const sec = { id: '', role: 'security' as const };
	const secCtx = () => ({ actor: sec, actorId: sec.id, ip: '203.0.113.9' });
	const alphaQ2 = () =>
		t.org.assessments.find(
			(a) => a.teamId === t.org.team('alpha') && a.cycleId === t.org.cycle('2026-Q2')
		)!.id;
	const access = () => ({ assessmentId: alphaQ2(), teamId: t.org.team('alpha') });
	const workspace = () =>
		reviewWorkspace(
			t.db,
			model,
			{ id: alphaQ2(), teamId: t.org.team('alpha') },
			{ phase: null, changedOnly: false }
		);
	const criterionOf = async (id: string) =>
		(await workspace()).view.phases
			.flatMap((p) => p.practices.flatMap((x) => x.criteria))
			.find((c) => c.id === id)!;
	const practiceOf = async (id: string) =>
		(await workspace()).view.phases.flatMap((p) => p.practices).find((x) => x.id === id)!;
	const keptKeys = () =>
		[`review:${alphaQ2()}:all`, `claims:${alphaQ2()}`].map(
			(k) => teamCacheOf(t.db)?.get(k) !== undefined
		);
	/** Alpha's workspace and claims viewed, so kept on the embedded database. */
	const viewed = async () => {
		await workspace();
		await assessmentContradictions(t.db, model, access());
		if (pglite()) expect(keptKeys()).toEqual([true, true]);
	};
	// A criterion with an evidence rule: a "most" or "all" answer to it is a claim.
	const criterionId = 'dependency-scanning.2.a';

	beforeAll(async () => {
		const [u] = await t.db
			.insert(table.user)
			.values({ email: 'sec@sec.example', name: 'Sec', passwordHash: 'x', role: 'security' })
			.returning({ id: table.user.id });
		sec.id = u!.id;
	});

	it('answers the next view from memory on the embedded database only', async () => {
		await viewed();
		if (!pglite()) return;
		const statements = countStatements(t.db);
		try {
			await workspace();
			await assessmentContradictions(t.db, model, access());
			// The pipeline runs are kept per data revision: nothing is read.
			expect(statements.count).toBe(0);
		} finally {
			statements.stop();
		}
	});

	it('shows an answer’s new value, comment, evidence and author (answer), and a new claim', async () => {
		await viewed();
		const answer = and(
			eq(table.answer.assessmentId, alphaQ2()),
			eq(table.answer.criterionId, criterionId)
		);
		await t.db
			.insert(table.answer)
			.values({ assessmentId: alphaQ2(), criterionId, value: 0, comment: '', evidence: [] })
			.onConflictDoUpdate({
				target: [table.answer.assessmentId, table.answer.criterionId],
				set: { value: 0 }
			});
		await viewed();
		if (pglite())
			expect(teamCacheOf(t.db)?.get(`claims:${alphaQ2()}`)).not.toContainEqual([criterionId, 1]);
		await t.db.update(table.answer).set({ value: 1 }).where(answer);
		expect((await criterionOf(criterionId)).now.value).toBe(1);
		await assessmentContradictions(t.db, model, access());
		if (pglite())
			expect(teamCacheOf(t.db)?.get(`claims:${alphaQ2()}`)).toContainEqual([criterionId, 1]);
		else
			expect(
				JSON.stringify(rowsOf(await t.db.execute(claimsQuery(alphaQ2(), [criterionId]))))
			).toContain(criterionId);
		await viewed();
		await t.db.update(table.answer).set({ comment: 'Now in CI' }).where(answer);
		expect((await criterionOf(criterionId)).now.comment).toBe('Now in CI');
		await viewed();
		await t.db
			.update(table.answer)
			.set({ evidence: ['https://ci.example.com/1'] })
			.where(answer);
		expect((await criterionOf(criterionId)).now.evidence).toEqual(['https://ci.example.com/1']);
		await viewed();
		await t.db.update(table.answer).set({ updatedBy: sec.id }).where(answer);
		expect((await criterionOf(criterionId)).now.updatedBy).toBe('Sec');
		// Anyone renamed, in the team or not (Sec is not): every team's entries go.
		await viewed();
		await updateProfile(t.db, { actorId: sec.id, ip: '' }, 'Sec Renamed');
		expect((await criterionOf(criterionId)).now.updatedBy).toBe('Sec Renamed');
	});

	it('shows a practice’s new reason (assessment_practice)', async () => {
		await t.db
			.insert(table.assessmentPractice)
			.values({
				assessmentId: alphaQ2(),
				practiceId: 'dependency-scanning',
				phase: 'build',
				notApplicable: true,
				notApplicableReason: 'No dependencies'
			})
			.onConflictDoUpdate({
				target: [table.assessmentPractice.assessmentId, table.assessmentPractice.practiceId],
				set: { notApplicable: true, notApplicableReason: 'No dependencies' }
			});
		await viewed();
		await t.db
			.update(table.assessmentPractice)
			.set({ notApplicableReason: 'Vendored code only' })
			.where(
				and(
					eq(table.assessmentPractice.assessmentId, alphaQ2()),
					eq(table.assessmentPractice.practiceId, 'dependency-scanning')
				)
			);
		expect((await practiceOf('dependency-scanning')).now.reason).toBe('Vendored code only');
	});

	it('shows questions asked, answered and withdrawn (review_question, question_message), and keeps other teams’', async () => {
		await viewed();
		await readTeamPage(t.db, t.org.team('gamma'));
		const asked = await askQuestion(t.db, secCtx(), model, {
			assessmentId: alphaQ2(),
			criterionId,
			body: 'Which repositories?'
		});
		expect(asked).toMatchObject({ ok: true });
		if (pglite()) expect(teamCacheOf(t.db)?.get(`page:${t.org.team('gamma')}`)).toBeDefined();
		const threads = async () => (await workspace()).threads;
		const [thread] = await threads();
		expect(thread).toMatchObject({ criterionId, status: 'open' });
		await viewed();
		const fay = t.org.users.find((u) => u.name === 'Ann')!;
		const member = { actor: { id: fay.id, role: 'member' as const }, actorId: fay.id, ip: '' };
		expect(
			await answerQuestion(t.db, member, {
				assessmentId: alphaQ2(),
				questionId: thread!.id,
				body: 'All three.'
			})
		).toMatchObject({ ok: true });
		expect((await threads())[0]!.messages.map((m) => m.body)).toEqual([
			'Which repositories?',
			'All three.'
		]);
		await viewed();
		await t.db
			.update(table.questionMessage)
			.set({ body: 'All three, since May.' })
			.where(eq(table.questionMessage.questionId, thread!.id));
		expect((await threads())[0]!.messages.map((m) => m.body)).toContain('All three, since May.');
		await viewed();
		await t.db.delete(table.reviewQuestion).where(eq(table.reviewQuestion.id, thread!.id));
		expect(await threads()).toEqual([]);
	});
});
