import { describe, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { countStatements } from '$lib/server/db/test-db';
import { saveAnswer } from '$lib/server/assessments/assessments';
import { setCycleStatus } from '$lib/server/assessments/cycles';
import { transitionAssessment } from '$lib/server/assessments/review';
import { loadModel } from '$lib/server/model/load-model';
import { addTeamMember, removeTeamMember, updateTeamMember } from '$lib/server/teams/members';
import { setTeamActive } from '$lib/server/teams/teams';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import type { TeamSlug } from '$lib/server/testing/organisation';
import { requireAssessmentAccess, requireAssessmentIdAccess, requireTeamAccess } from './guard';
import type { TeamAction } from './policy';
import type { SessionUser } from './session';

/*
 * The team and assessment checks keep what they read on the embedded database (auth/guard.ts,
 * teams/team-cache.ts). Each test passes a check first, so that it is kept, then changes what
 * it read the way the application does, and checks the very next check sees the change: a
 * member removed is refused at once, a demoted lead may no longer manage, a submitted or closed
 * assessment is seen as such. The same tests run on PostgreSQL, where nothing is kept.
 */
describe('kept access checks after what they read changes', () => {
	const t = testOrganisation();
	const model = loadModel();
	const pglite = () => t.handle.kind === 'pglite';
	const ctx = () => ({ actorId: t.org.adminId, ip: '127.0.0.1' });
	const person = (name: string): SessionUser => {
		const u = t.org.users.find((x) => x.name === name)!;
		return { id: u.id, email: u.email, name: u.name, role: 'member' };
	};
	const event = (user: SessionUser) =>
		({ locals: { db: t.db, user }, url: new URL('http://127.0.0.1/teams') }) as never;
	const onTeam = (who: string, slug: TeamSlug, action: TeamAction = 'view') =>
		requireTeamAccess(event(person(who)), slug, action);
	const onAssessment = (who: string, slug: TeamSlug, action: TeamAction = 'view') =>
		requireAssessmentAccess(event(person(who)), slug, '2026-Q2', action);
	const toSave = (who: string, slug: TeamSlug, cycle = '2026-Q2') =>
		requireAssessmentIdAccess(event(person(who)), slug, cycle, 'edit');
	/** The HTTP status a check refuses with, or 200 when it passes. */
	const status = async (check: Promise<unknown>) => {
		try {
			await check;
			return 200;
		} catch (e) {
			if (isHttpError(e)) return e.status;
			throw e;
		}
	};
	const must = (result: { ok: boolean }) => expect(result).toMatchObject({ ok: true });

	it('answers a second check of an unchanged team from memory on the embedded database only', async () => {
		await onTeam('Fay', 'gamma');
		await onAssessment('Fay', 'gamma');
		// Statements are counted on the embedded database only (countStatements).
		if (!pglite()) return;
		const statements = countStatements(t.db);
		try {
			await onTeam('Fay', 'gamma');
			await onAssessment('Fay', 'gamma');
			expect(statements.count).toBe(0);
		} finally {
			statements.stop();
		}
	});

	it('refuses a member removed from the team at once, and lets them in again when added back', async () => {
		expect(await status(onTeam('Bo', 'gamma'))).toBe(200);
		expect(await status(onAssessment('Bo', 'gamma', 'edit'))).toBe(200);
		expect(await status(toSave('Bo', 'gamma'))).toBe(200);
		must(await removeTeamMember(t.db, ctx(), t.org.team('gamma'), t.org.user('Bo')));
		expect(await status(onTeam('Bo', 'gamma'))).toBe(404);
		expect(await status(onAssessment('Bo', 'gamma', 'edit'))).toBe(404);
		expect(await status(toSave('Bo', 'gamma'))).toBe(404);
		must(
			await addTeamMember(t.db, ctx(), t.org.team('gamma'), {
				email: person('Bo').email,
				role: 'member',
				champion: true
			})
		);
		expect(await status(onAssessment('Bo', 'gamma', 'edit'))).toBe(200);
	});

	it('gives the answer save the team’s own assessment only: not another team’s, not a cycle without one', async () => {
		const own = await toSave('Fay', 'gamma');
		expect(own.assessmentId).toBe(
			t.org.assessments.find(
				(a) => a.teamId === t.org.team('gamma') && a.cycleId === t.org.cycle('2026-Q2')
			)!.id
		);
		// Kept for Fay on Gamma: the same user on Alpha (not a member) is still refused.
		expect(await status(toSave('Fay', 'alpha'))).toBe(404);
		expect(await status(toSave('Fay', 'gamma', '2031-Q1'))).toBe(404);
		// Kept: a save (its answers change) does not drop the check, the assessment's removal does.
		await toSave('Fay', 'gamma');
		must(
			await saveAnswer(t.db, { ...ctx(), teamId: t.org.team('gamma') }, model, {
				assessmentId: own.assessmentId,
				criterionId: 'code-review.1.a',
				value: 0.5,
				comment: '',
				evidence: [],
				baseVersion: 0
			})
		);
		if (pglite()) {
			const statements = countStatements(t.db);
			try {
				await toSave('Fay', 'gamma');
				expect(statements.count).toBe(0);
			} finally {
				statements.stop();
			}
		}
	});

	it('lets a promoted member do what leads do, refuses it again once demoted, and keeps another team’s check', async () => {
		const role = async (r: 'lead' | 'member') =>
			must(
				await updateTeamMember(t.db, ctx(), t.org.team('gamma'), {
					userId: t.org.user('Bo'),
					role: r,
					champion: true
				})
			);
		expect(await status(onTeam('Bo', 'gamma', 'manageMembers'))).toBe(403);
		expect(await status(onTeam('Ann', 'alpha', 'manageMembers'))).toBe(200);
		await role('lead');
		expect(await status(onTeam('Bo', 'gamma', 'manageMembers'))).toBe(200);
		expect(await status(onAssessment('Bo', 'gamma', 'submit'))).toBe(200);
		await role('member');
		expect(await status(onTeam('Bo', 'gamma', 'manageMembers'))).toBe(403);
		expect(await status(onAssessment('Bo', 'gamma', 'submit'))).toBe(403);
		if (pglite()) {
			const statements = countStatements(t.db);
			try {
				await onTeam('Ann', 'alpha', 'manageMembers');
				expect(statements.count).toBe(0);
			} finally {
				statements.stop();
			}
		}
	});

	it('sees the team archived, the assessment saved and submitted, and the cycle closed', async () => {
		const before = await onAssessment('Fay', 'gamma', 'edit');
		await setTeamActive(t.db, ctx(), t.org.team('gamma'), false);
		expect((await onTeam('Fay', 'gamma')).team.active).toBe(false);
		await setTeamActive(t.db, ctx(), t.org.team('gamma'), true);
		expect((await onTeam('Fay', 'gamma')).team.active).toBe(true);
		// A save moves the assessment's score: the kept check shows the new one.
		await onAssessment('Fay', 'gamma');
		must(
			await saveAnswer(t.db, { ...ctx(), teamId: t.org.team('gamma') }, model, {
				assessmentId: before.assessment.id,
				criterionId: 'threat-modeling.1.a',
				value: 1,
				comment: '',
				evidence: [],
				baseVersion: 0
			})
		);
		const [stored] = await t.db
			.select({ score: table.assessment.score })
			.from(table.assessment)
			.where(eq(table.assessment.id, before.assessment.id));
		expect(stored!.score).toBeGreaterThan(before.assessment.score ?? 0);
		expect((await onAssessment('Fay', 'gamma')).assessment.score).toBe(stored!.score);
		// Submitted: the next check says so (the form then shows it read-only).
		must(
			await transitionAssessment(
				t.db,
				{ ...ctx(), actor: { id: t.org.user('Fay'), role: 'member' }, teamId: t.org.team('gamma') },
				before.assessment.id,
				'submit',
				'',
				{ model, confirmedUnanswered: Number.MAX_SAFE_INTEGER }
			)
		);
		expect((await onAssessment('Fay', 'gamma')).assessment.status).toBe('submitted');
		must(await setCycleStatus(t.db, ctx(), t.org.cycle('2026-Q2'), 'closed'));
		expect((await onAssessment('Fay', 'gamma')).cycle.status).toBe('closed');
	});
});
