import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, isNull, sql } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { loadModel } from '$lib/server/model/load-model';
import { getTraining } from '$lib/server/training/load-training';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { openCycle } from '$lib/server/assessments/cycles';
import { answerQuestion, askQuestion } from '$lib/server/assessments/questions';
import { transitionAssessment } from '$lib/server/assessments/review';
import { assignModule } from '$lib/server/training/assignments';
import { createInvitation } from '$lib/server/users/invitations';
import { createTeam } from '$lib/server/teams/teams';
import { addTeamMember } from '$lib/server/teams/members';
import { saveReceivedKinds } from './preferences';
import { optionalKinds } from './kinds';
import { queueReminders } from './reminders';
import { mailSettings } from './settings';
import { startSmtpServer } from './testing/smtp';
import { smtpOptions, smtpTransport } from './transport';
import { claimDueEmails, deliverDueEmails } from './worker';

/*
 * Email end to end: what the domain queues in its transactions reaches a real SMTP server on
 * 127.0.0.1 (smtp-server), parsed there with mailparser. The test organisation: Alpha (Ann lead,
 * Bo) 2026-Q2 submitted; Gamma (Fay lead, Bo) 2026-Q2 draft; Delta (Gus) 2026-Q1 returned.
 */
describe('email', () => {
	const ORIGIN = 'https://rampart.example';
	process.env.ORIGIN = ORIGIN;
	let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
	const t = testOrganisation();
	const model = loadModel();
	const auth = { username: 'mailer', password: 'smtp secret' };

	beforeAll(async () => {
		smtp = await startSmtpServer({ auth, reject: (to) => to.startsWith('bounce') });
		process.env.SMTP_URL = smtp.url;
		process.env.SMTP_FROM = 'Rampart <rampart@rampart.example>';
	});
	afterAll(async () => {
		delete process.env.SMTP_URL;
		await smtp.close();
	});
	beforeEach(async () => {
		await t.db.delete(table.emailOutbox);
		await t.db.delete(table.notificationOptOut);
		smtp.received.length = 0;
	});

	const deliver = () => {
		const transport = smtpTransport(mailSettings()!);
		return deliverDueEmails(t.db, transport).finally(() => transport.close());
	};
	const queued = () => t.db.select().from(table.emailOutbox).orderBy(table.emailOutbox.id);
	const emailOf = (name: string) => `${name.toLowerCase()}@example.com`;
	const ctx = (name: string) => ({ actorId: t.org.user(name as never), ip: '203.0.113.5' });

	it('sends a queued invitation over SMTP with the credentials of SMTP_URL, in text and HTML', async () => {
		const inv = await createInvitation(t.db, ctx('Admin'), {
			email: 'newcomer@example.org',
			role: 'member'
		});
		if (!inv.ok) throw new Error('refused');
		expect(smtp.received).toHaveLength(0); // queued, not sent in the request
		expect(await deliver()).toEqual({ sent: 1, failed: 0 });
		const [got] = await smtp.waitFor(1);
		expect(got!.auth).toEqual(auth);
		expect(got!.to).toEqual(['newcomer@example.org']);
		expect(got!.from).toBe('rampart@rampart.example');
		expect(got!.mail.subject).toBe('Admin invited you to Rampart');
		const link = `${ORIGIN}/invite/${inv.token}`;
		expect(got!.mail.text).toContain(link);
		expect(got!.mail.html).toContain(`href="${link}"`);
		expect(got!.mail.text).toContain('because an administrator invited this address');
		expect((await queued())[0]!.sentAt).not.toBeNull();
		// Sent once: nothing is left to send.
		expect(await deliver()).toEqual({ sent: 0, failed: 0 });
		expect(smtp.received).toHaveLength(1);
	});

	it('tells every member of each team when a cycle opens, escaping team names in the HTML', async () => {
		const team = await createTeam(t.db, ctx('Admin'), {
			name: '<img src=x onerror=alert(1)> & Co',
			slug: 'html-team',
			orgUnitId: null,
			description: ''
		});
		if (!team.ok) throw new Error('refused');
		await addTeamMember(t.db, ctx('Admin'), team.id, {
			email: emailOf('Eve'),
			role: 'lead',
			champion: false
		});
		// Gus turned this kind off; Dee is deactivated: neither gets one.
		await saveReceivedKinds(
			t.db,
			{ actorId: t.org.user('Gus'), ip: '' },
			new Set(optionalKinds.filter((k) => k !== 'cycle_opened'))
		);
		const opened = await openCycle(t.db, ctx('Admin'), model, {
			name: '2026-Q3',
			startsOn: '2026-07-01',
			dueOn: '2026-09-30'
		});
		expect(opened.ok).toBe(true);
		// Expected from the memberships: active people in active teams, one email per team.
		const members = await t.db
			.select({ email: table.user.email, team: table.team.name })
			.from(table.teamMember)
			.innerJoin(table.user, eq(table.user.id, table.teamMember.userId))
			.innerJoin(table.team, eq(table.team.id, table.teamMember.teamId))
			.where(sql`${table.team.active} and ${table.user.active} and ${table.user.name} <> 'Gus'`);
		const rows = await queued();
		expect(rows.map((r) => r.toAddress).sort()).toEqual(members.map((m) => m.email).sort());
		expect(rows.every((r) => r.kind === 'cycle_opened')).toBe(true);
		expect(rows.some((r) => r.toAddress === emailOf('Gus'))).toBe(false);
		expect(rows.some((r) => r.toAddress === emailOf('Dee'))).toBe(false);

		await deliver();
		const eve = (await smtp.waitFor(rows.length)).find((r) => r.to[0] === emailOf('Eve'))!;
		expect(eve.mail.html).not.toContain('<img');
		expect(eve.mail.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; Co');
		expect(eve.mail.text).toContain('<img src=x onerror=alert(1)> & Co');
		expect(eve.mail.html).toContain(`href="${ORIGIN}/teams/html-team/assessments/2026-Q3"`);
		expect(eve.mail.html).toContain(`href="${ORIGIN}/account#notifications"`);
		expect(eve.mail.text).toContain('You receive this email because you are in a team');
	});

	it('nothing is queued when the change is refused or rolled back', async () => {
		const dup = await openCycle(t.db, ctx('Admin'), model, {
			name: '2026-Q3',
			startsOn: '2026-07-01',
			dueOn: '2026-09-30'
		});
		expect(dup.ok).toBe(false);
		expect(await queued()).toHaveLength(0);
	});

	it('questions go to the team, answers to the reviewer, a return to the team', async () => {
		const [sec] = await t.db
			.insert(table.user)
			.values({ email: 'sec@example.com', name: 'Sec', passwordHash: 'x', role: 'security' })
			.returning({ id: table.user.id });
		const reviewer = {
			actor: { id: sec!.id, role: 'security' as const },
			actorId: sec!.id,
			ip: ''
		};
		const alphaQ2 = t.org.assessments.find(
			(a) => a.teamId === t.org.team('alpha') && a.cycleId === t.org.cycle('2026-Q2')
		)!.id;
		const criterionId = model.practices[0]!.levels[0]!.criteria[0]!.id;
		const asked = await askQuestion(t.db, reviewer, model, {
			assessmentId: alphaQ2,
			criterionId,
			body: 'Which <b>repos</b>?'
		});
		if (!asked.ok) throw new Error(JSON.stringify(asked));
		expect((await queued()).map((r) => [r.kind, r.toAddress]).sort()).toEqual([
			['question_asked', emailOf('Ann')],
			['question_asked', emailOf('Bo')]
		]);
		await t.db.delete(table.emailOutbox);
		const ann = { actor: { id: t.org.user('Ann'), role: 'member' as const }, ...ctx('Ann') };
		const answered = await answerQuestion(t.db, ann, {
			assessmentId: alphaQ2,
			questionId: asked.questionId,
			body: 'All of them'
		});
		expect(answered.ok).toBe(true);
		expect((await queued()).map((r) => [r.kind, r.toAddress])).toEqual([
			['question_answered', 'sec@example.com']
		]);
		await t.db.delete(table.emailOutbox);
		const returned = await transitionAssessment(
			t.db,
			{ ...reviewer, teamId: t.org.team('alpha') },
			alphaQ2,
			'return',
			'Add evidence links'
		);
		expect(returned.ok).toBe(true);
		const rows = await queued();
		expect(rows.map((r) => [r.kind, r.toAddress]).sort()).toEqual([
			['assessment_returned', emailOf('Ann')],
			['assessment_returned', emailOf('Bo')]
		]);
		expect(rows[0]!.textBody).toContain('Add evidence links');
	});

	it('a training assignment is emailed to the learner, once per due date', async () => {
		const training = getTraining();
		const moduleId = training.modules[0]!.id;
		const input = { userId: t.org.user('Bo'), moduleId, dueOn: '2026-08-01' };
		expect((await assignModule(t.db, ctx('Ann'), training, t.org.team('alpha'), input)).ok).toBe(
			true
		);
		expect((await assignModule(t.db, ctx('Ann'), training, t.org.team('alpha'), input)).ok).toBe(
			true
		);
		const rows = await queued();
		expect(rows.map((r) => [r.kind, r.toAddress])).toEqual([['training_assigned', emailOf('Bo')]]);
		expect(rows[0]!.textBody).toContain(`${ORIGIN}/training/${moduleId}`);
	});

	it('reminders: due in 7 days and tomorrow to teams not yet submitted, overdue to leads and security, each once', async () => {
		const training = getTraining();
		const remind = async (at: string) => {
			await t.db.delete(table.emailOutbox);
			const n = await queueReminders(t.db, training, new Date(at));
			const rows = (await queued()).filter((r) => r.kind.startsWith('assessment_'));
			expect(n).toBe((await queued()).length);
			return rows.map((r) => `${r.kind} ${r.toAddress}`).sort();
		};
		// 2026-Q2 is due on 2026-06-30; of its active teams Gamma (Fay lead, Bo) is a draft and
		// Alpha (Ann lead, Bo) was returned above; Beta is approved, Delta submitted.
		expect(await remind('2026-06-23T08:00:00Z')).toEqual([
			`assessment_due ${emailOf('Ann')}`,
			`assessment_due ${emailOf('Bo')}`,
			`assessment_due ${emailOf('Bo')}`,
			`assessment_due ${emailOf('Fay')}`
		]);
		// Again, later that day and on two instances at once: nothing more.
		await t.db.delete(table.emailOutbox);
		const again = await Promise.all([
			queueReminders(t.db, training, new Date('2026-06-24T09:00:00Z')),
			queueReminders(t.db, training, new Date('2026-06-24T09:00:00Z'))
		]);
		expect(again).toEqual([0, 0]);
		// Bo turned due reminders off.
		await saveReceivedKinds(
			t.db,
			{ actorId: t.org.user('Bo'), ip: '' },
			new Set(optionalKinds.filter((k) => k !== 'assessment_due'))
		);
		expect(await remind('2026-06-29T08:00:00Z')).toEqual([
			`assessment_due ${emailOf('Ann')}`,
			`assessment_due ${emailOf('Fay')}`
		]);
		expect((await queued()).map((r) => r.subject)).toContain(
			"Gamma's 2026-Q2 assessment is due tomorrow"
		);
		// Overdue: to the leads, and one email listing both teams to the security team.
		expect(await remind('2026-07-02T08:00:00Z')).toEqual([
			`assessment_overdue ${emailOf('Ann')}`,
			`assessment_overdue ${emailOf('Fay')}`,
			'assessment_overdue sec@example.com'
		]);
		const digest = (await queued()).find((r) => r.toAddress === 'sec@example.com')!;
		expect(digest.textBody).toContain('- Alpha\n- Gamma');
		expect(await remind('2026-07-03T08:00:00Z')).toEqual([]);
	});

	it('on-call turns starting today and next week, and training due tomorrow', async () => {
		const training = getTraining();
		await t.db.delete(table.emailOutbox);
		// Alpha's rota: Ann, Bo weekly from Monday 2026-01-05; Delta's: Gus alone.
		expect(await queueReminders(t.db, training, new Date('2026-01-12T06:00:00Z'))).toBe(4);
		expect((await queued()).map((r) => `${r.kind} ${r.toAddress}`).sort()).toEqual([
			`oncall_next_week ${emailOf('Ann')}`,
			`oncall_next_week ${emailOf('Gus')}`,
			`oncall_today ${emailOf('Bo')}`,
			`oncall_today ${emailOf('Gus')}`
		]);
		await t.db.delete(table.emailOutbox);
		// Bo's module (assigned above) is due on 2026-08-01 and not complete.
		await queueReminders(t.db, training, new Date('2026-07-31T06:00:00Z'));
		expect((await queued()).map((r) => `${r.kind} ${r.toAddress}`)).toContain(
			`training_due ${emailOf('Bo')}`
		);
	});

	it('two instances sending at once send each email once', async () => {
		await createInvitations(3);
		const a = smtpTransport(mailSettings()!);
		const b = smtpTransport(mailSettings()!);
		const results = await Promise.all([deliverDueEmails(t.db, a), deliverDueEmails(t.db, b)]);
		a.close();
		b.close();
		expect(results[0].sent + results[1].sent).toBe(3);
		await smtp.waitFor(3);
		await new Promise((r) => setTimeout(r, 300));
		expect(smtp.received.map((r) => r.to[0]).sort()).toEqual([
			'x0@example.org',
			'x1@example.org',
			'x2@example.org'
		]);
		// A claimed email is not claimed again while its lease runs.
		await createInvitations(1, 'y');
		expect(await claimDueEmails(t.db)).toHaveLength(1);
		expect(await claimDueEmails(t.db)).toHaveLength(0);
	});

	it('retries with backoff while the server is unreachable, and gives up on a refused address', async () => {
		await createInvitations(1, 'retry');
		await createInvitations(1, 'bounce');
		const down = smtpTransport({
			...mailSettings()!,
			url: 'smtp://127.0.0.1:9' // nothing listens on the discard port
		});
		const start = new Date();
		expect(await deliverDueEmails(t.db, down, start)).toEqual({ sent: 0, failed: 2 });
		down.close();
		const rows = await queued();
		expect(rows.every((r) => r.sentAt === null && r.attempts === 1 && r.lastError)).toBe(true);
		expect(rows.every((r) => r.sendAfter.getTime() >= start.getTime() + 25_000)).toBe(true);
		// Not due yet: nothing is sent now.
		expect(await deliver()).toEqual({ sent: 0, failed: 0 });
		await t.db.update(table.emailOutbox).set({ sendAfter: new Date(Date.now() - 1000) });
		expect(await deliver()).toEqual({ sent: 1, failed: 1 });
		const after = await queued();
		expect(after.find((r) => r.toAddress.startsWith('retry'))!.sentAt).not.toBeNull();
		const bounced = after.find((r) => r.toAddress.startsWith('bounce'))!;
		expect(bounced.failedAt).not.toBeNull();
		expect(bounced.lastError).toMatch(/550/);
		expect(
			await t.db.select().from(table.emailOutbox).where(isNull(table.emailOutbox.sentAt))
		).toHaveLength(1);
	});

	it('requires STARTTLS when SMTP_URL carries a password for another machine', () => {
		const s = { from: 'a@b.c', origin: ORIGIN };
		expect(smtpOptions({ ...s, url: 'smtp://u:p%40ss@mail.example.com:587' })).toMatchObject({
			host: 'mail.example.com',
			port: 587,
			secure: false,
			requireTLS: true,
			auth: { user: 'u', pass: 'p@ss' }
		});
		expect(smtpOptions({ ...s, url: 'smtps://mail.example.com' })).toMatchObject({
			port: 465,
			secure: true
		});
		expect(smtpOptions({ ...s, url: 'smtp://127.0.0.1:2525' }).requireTLS).toBe(false);
		expect(() => mailSettings({ SMTP_URL: 'http://x' })).toThrow(/smtp:\/\//);
		expect(() => mailSettings({ SMTP_URL: 'smtp://x' })).toThrow(/ORIGIN/);
		expect(mailSettings({})).toBeNull();
	});

	async function createInvitations(n: number, prefix = 'x') {
		for (let i = 0; i < n; i++) {
			const r = await createInvitation(t.db, ctx('Admin'), {
				email: `${prefix}${i}@example.org`,
				role: 'member'
			});
			if (!r.ok) throw new Error(r.message);
		}
	}
});
