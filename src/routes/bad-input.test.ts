import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '$lib/server/db/client';
import { rowsOf } from '$lib/server/db/rows';
import * as table from '$lib/server/db/schema';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { SessionUser } from '$lib/server/auth/session';
import { seedDemo } from '$lib/server/demo/seed';
import { getModel } from '$lib/server/model/load-model';
import { criteriaOf } from '$lib/server/model/criteria';
import { createInvitation } from '$lib/server/users/invitations';
import { actions as login } from './(public)/login/+page.server';
import { actions as invite } from './(public)/invite/[token]/+page.server';
import { actions as review } from './(app)/teams/[slug]/assessments/[cycle]/+page.server';
import { actions as workspace } from './(app)/teams/[slug]/assessments/[cycle]/review/+page.server';
import { actions as account } from './(app)/account/+page.server';
import { actions as teamPage } from './(app)/teams/[slug]/+page.server';
import { actions as phaseForm } from './(app)/teams/[slug]/assessments/[cycle]/[phase]/+page.server';
import { actions as rota } from './(app)/teams/[slug]/rota/+page.server';
import { actions as teamTools } from './(app)/teams/[slug]/tools/+page.server';
import { actions as manageTools } from './(app)/tools/manage/+page.server';
import { load as auditLoad } from './(admin)/admin/audit/+page.server';
import { actions as cycles } from './(admin)/admin/cycles/+page.server';
import { actions as orgUnits } from './(admin)/admin/org-units/+page.server';
import { actions as teams } from './(admin)/admin/teams/+page.server';
import { actions as editTeam } from './(admin)/admin/teams/[slug]/+page.server';
import { actions as users } from './(admin)/admin/users/+page.server';

/*
 * From the attacker's side: each bad value, submitted through the route as a browser would,
 * is answered 400 with a message beside its field, and the database holds exactly what it held.
 */

type Action = (event: never) => unknown;
type Fields = Record<string, string>;

let handle: DatabaseHandle;
let admin: SessionUser;
let lead: SessionUser;
let slug: string;
let unitId: string;
let reviewer: SessionUser;
let submittedSlug: string;
let token: string;
const cycle = '2026-Q4';
const phase = 'build';
let criterionId: string;
let practiceId: string;

beforeAll(async () => {
	handle = await createTestDatabase();
	await seedDemo(handle.db, 'demo password for tests');
	const { db } = handle;
	const [a] = await db.select().from(table.user).where(eq(table.user.role, 'admin')).limit(1);
	admin = { id: a!.id, email: a!.email, name: a!.name, role: a!.role };
	// A lead whose team has a draft in the open cycle, so the phase form takes answers.
	const [row] = await db
		.select({ user: table.user, slug: table.team.slug })
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.innerJoin(
			table.teamMember,
			and(eq(table.teamMember.teamId, table.team.id), eq(table.teamMember.role, 'lead'))
		)
		.innerJoin(table.user, eq(table.user.id, table.teamMember.userId))
		.where(and(eq(table.cycle.name, cycle), eq(table.assessment.status, 'draft')))
		.limit(1);
	lead = { id: row!.user.id, email: row!.user.email, name: row!.user.name, role: row!.user.role };
	slug = row!.slug;
	const [unit] = await db.select({ id: table.orgUnit.id }).from(table.orgUnit).limit(1);
	// The security team reviews a submitted assessment of a team none of them belongs to.
	const [s] = await db.select().from(table.user).where(eq(table.user.role, 'security')).limit(1);
	reviewer = { id: s!.id, email: s!.email, name: s!.name, role: s!.role };
	const [submitted] = await db
		.select({ slug: table.team.slug })
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.innerJoin(table.team, eq(table.team.id, table.assessment.teamId))
		.where(and(eq(table.cycle.name, cycle), eq(table.assessment.status, 'submitted')))
		.limit(1);
	submittedSlug = submitted!.slug;
	const invitation = await createInvitation(
		db,
		{ actorId: admin.id, ip: '203.0.113.1' },
		{ email: 'newcomer@example.com', role: 'member' }
	);
	if (!invitation.ok) throw new Error(invitation.message);
	token = invitation.token;
	unitId = unit!.id;
	const practice = getModel().phases.find((p) => p.id === phase)!.practices[0]!;
	practiceId = practice.id;
	criterionId = criteriaOf([practice])[0]!.id;
});
afterAll(() => handle.close());

/** Every row of every table, as text, so that any change at all shows. */
async function snapshot(): Promise<Record<string, string[]>> {
	const { db } = handle;
	const tables = rowsOf<{ name: string }>(
		await db.execute(sql`select table_name as name from information_schema.tables
			where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)
	);
	const out: Record<string, string[]> = {};
	for (const { name } of tables) {
		const rows = rowsOf(await db.execute(sql`select * from ${sql.identifier(name)}`));
		out[name] = rows.map((r) => JSON.stringify(r)).sort();
	}
	return out;
}

/** A form post as SvelteKit hands it to an action. */
function post(path: string, user: SessionUser | null, params: Fields, fields: Fields) {
	const url = new URL(`http://127.0.0.1${path}`);
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.append(k, v);
	return {
		locals: { db: handle.db, user, session: null, ip: '203.0.113.7' },
		params,
		url,
		route: { id: null },
		request: new Request(url, { method: 'POST', body }),
		cookies: { get: () => undefined, getAll: () => [], set() {}, delete() {} },
		setHeaders() {},
		getClientAddress: () => '203.0.113.7'
	} as never;
}

interface Case {
	what: string;
	action: () => Action;
	user: () => SessionUser | null;
	path: () => string;
	params?: () => Fields;
	fields: () => Fields;
	field: () => string;
	message: RegExp;
}

const NUL = /NUL character/;
const CONTROL = /invisible control character/;
const BIDI = /text-direction character/;
const FFFD = /replacement character/;
const ONE_LINE = /one line/;
const CREDENTIALS = /Remove the part before @/;
const BACKSLASH = /Remove the backslash/;

const tool = (homepage: string, name = 'Scanner'): Fields => ({
	id: 'in-house-scanner',
	name,
	categoryId: 'sast',
	homepage,
	licence: 'commercial',
	description: ''
});
const answer = (comment: string, evidence: string): Fields => ({
	criterionId,
	value: '1',
	comment,
	evidence,
	baseVersion: '0'
});

const cases: Case[] = [
	...[
		['ada\u0000@example.com', NUL],
		['ada@example.com\n\u0000', ONE_LINE],
		['ada\r\nFAKE@example.com', ONE_LINE],
		['ada\u001b[2J@example.com', CONTROL]
	].map(([email, message]): Case => ({
		what: `sign-in email ${JSON.stringify(email)}`,
		action: () => login.default as Action,
		user: () => null,
		path: () => '/login',
		fields: () => ({ email: email as string, password: 'whatever it is' }),
		field: () => 'email',
		message: message as RegExp
	})),
	...[
		['Ada\u0000', NUL],
		['Ada\u0007', CONTROL],
		['Ada\u009b', CONTROL],
		['Ada\u202eecalvoL', BIDI],
		['Ada\u2066x\u2069', BIDI],
		['Ada\ufffd', FFFD],
		['Ada\nAdmin', ONE_LINE]
	].map(([name, message]): Case => ({
		what: `display name ${JSON.stringify(name)}`,
		action: () => account.profile as Action,
		user: () => lead,
		path: () => '/account',
		fields: () => ({ name: name as string }),
		field: () => 'name',
		message: message as RegExp
	})),
	...[
		['Payments\u0000', NUL],
		['Payments\u202e', BIDI],
		['Pay\ufffdments', FFFD]
	].flatMap(([name, message]): Case[] => [
		{
			what: `new team name ${JSON.stringify(name)}`,
			action: () => teams.create as Action,
			user: () => admin,
			path: () => '/admin/teams',
			fields: () => ({ name: name as string, slug: 'brand-new', orgUnitId: '', description: '' }),
			field: () => 'name',
			message: message as RegExp
		},
		{
			what: `renamed team ${JSON.stringify(name)}`,
			action: () => editTeam.update as Action,
			user: () => admin,
			path: () => `/admin/teams/${slug}`,
			params: () => ({ slug }),
			fields: () => ({ name: name as string, slug, orgUnitId: '', description: '' }),
			field: () => 'name',
			message: message as RegExp
		},
		{
			what: `new org unit ${JSON.stringify(name)}`,
			action: () => orgUnits.create as Action,
			user: () => admin,
			path: () => '/admin/org-units',
			fields: () => ({ name: name as string, kind: 'department', parentId: '' }),
			field: () => 'name',
			message: message as RegExp
		},
		{
			what: `renamed org unit ${JSON.stringify(name)}`,
			action: () => orgUnits.rename as Action,
			user: () => admin,
			path: () => '/admin/org-units',
			fields: () => ({ id: unitId, name: name as string }),
			field: () => 'name',
			message: message as RegExp
		},
		{
			what: `tool name ${JSON.stringify(name)}`,
			action: () => manageTools.add as Action,
			user: () => admin,
			path: () => '/tools/manage',
			fields: () => tool('https://scanner.example.com/', name as string),
			field: () => 'name',
			message: message as RegExp
		}
	]),
	...[
		['Newcomer\u0000', NUL],
		['Newcomer\u202e', BIDI],
		['New\ufffdcomer', FFFD]
	].map(([name, message]): Case => ({
		what: `name on accepting an invitation ${JSON.stringify(name)}`,
		action: () => invite.default as Action,
		user: () => null,
		path: () => `/invite/${token}`,
		params: () => ({ token }),
		fields: () => ({
			name: name as string,
			password: 'a long enough password',
			confirm: 'a long enough password'
		}),
		field: () => 'name',
		message: message as RegExp
	})),
	{
		what: 'review comment with a NUL',
		action: () => review.review as Action,
		user: () => reviewer,
		path: () => `/teams/${submittedSlug}/assessments/${cycle}`,
		params: () => ({ slug: submittedSlug, cycle }),
		fields: () => ({ decision: 'return', comment: 'Add links\u0000' }),
		field: () => 'comment',
		message: NUL
	},
	{
		what: 'question on a criterion with a NUL',
		action: () => workspace.ask as Action,
		user: () => reviewer,
		path: () => `/teams/${submittedSlug}/assessments/${cycle}/review`,
		params: () => ({ slug: submittedSlug, cycle }),
		fields: () => ({ criterionId, body: 'Which repos?\u0000' }),
		field: () => 'body',
		message: NUL
	},
	{
		what: 'team description with a NUL',
		action: () => teams.create as Action,
		user: () => admin,
		path: () => '/admin/teams',
		fields: () => ({ name: 'Brand new', slug: 'brand-new', orgUnitId: '', description: 'a\u0000' }),
		field: () => 'description',
		message: NUL
	},
	{
		what: 'cycle name with a NUL',
		action: () => cycles.open as Action,
		user: () => admin,
		path: () => '/admin/cycles',
		fields: () => ({ name: '2027-Q1\u0000', startsOn: '2027-01-01', dueOn: '2027-03-01' }),
		field: () => 'name',
		message: NUL
	},
	{
		what: 'invitation email with a NUL',
		action: () => users.invite as Action,
		user: () => admin,
		path: () => '/admin/users',
		fields: () => ({ email: 'new\u0000@example.com', role: 'member' }),
		field: () => 'email',
		message: NUL
	},
	{
		what: 'team member email with a NUL',
		action: () => teamPage.addMember as Action,
		user: () => admin,
		path: () => `/teams/${slug}`,
		params: () => ({ slug }),
		fields: () => ({ email: 'new\u0000@example.com', role: 'member' }),
		field: () => 'email',
		message: NUL
	},
	...[
		['https://u:p@evil.example/', CREDENTIALS],
		['https://user@evil.example/', CREDENTIALS],
		['http://evil.example\\@good.example', BACKSLASH],
		['https://evil.example/\u0000', NUL],
		['http://scanner.example.com/', /https:\/\//]
	].flatMap(([homepage, message]): Case[] => [
		{
			what: `new tool's homepage ${JSON.stringify(homepage)}`,
			action: () => manageTools.add as Action,
			user: () => admin,
			path: () => '/tools/manage',
			fields: () => tool(homepage as string),
			field: () => 'homepage',
			message: message as RegExp
		},
		{
			what: `edited tool's homepage ${JSON.stringify(homepage)}`,
			action: () => manageTools.update as Action,
			user: () => admin,
			path: () => '/tools/manage',
			fields: () => ({ ...tool(homepage as string), id: 'semgrep', name: 'Semgrep' }),
			field: () => 'homepage',
			message: message as RegExp
		}
	]),
	{
		what: 'retiring a tool id with a NUL',
		action: () => manageTools.retire as Action,
		user: () => admin,
		path: () => '/tools/manage',
		fields: () => ({ id: 'semgrep\u0000' }),
		field: () => 'id',
		message: /Unknown tool/
	},
	{
		what: 'adoption note with a NUL',
		action: () => teamTools.setAdoption as Action,
		user: () => lead,
		path: () => `/teams/${slug}/tools`,
		params: () => ({ slug }),
		fields: () => ({ toolId: 'semgrep', state: 'adopted', since: '', note: 'x\u0000' }),
		field: () => 'note',
		message: NUL
	},
	{
		what: 'adoption of a tool id with a NUL',
		action: () => teamTools.setAdoption as Action,
		user: () => lead,
		path: () => `/teams/${slug}/tools`,
		params: () => ({ slug }),
		fields: () => ({ toolId: 'semgrep\u0000', state: 'adopted', since: '', note: '' }),
		field: () => 'toolId',
		message: /Unknown tool/
	},
	{
		what: 'rota member that is not a user id',
		action: () => rota.save as Action,
		user: () => lead,
		path: () => `/teams/${slug}/rota`,
		params: () => ({ slug }),
		fields: () => ({ rotationWeeks: '1', startsOn: '2026-11-02', 'position:x\u0000': '1' }),
		field: () => 'members',
		message: /team list/
	},
	...[
		['x\u0000', NUL],
		['x\u0008', CONTROL]
	].map(([comment, message]): Case => ({
		what: `answer comment ${JSON.stringify(comment)}`,
		action: () => phaseForm.saveAnswer as Action,
		user: () => lead,
		path: () => `/teams/${slug}/assessments/${cycle}/${phase}`,
		params: () => ({ slug, cycle, phase }),
		fields: () => answer(comment as string, ''),
		field: () => 'comment',
		message: message as RegExp
	})),
	{
		what: 'not-applicable reason with a NUL',
		action: () => phaseForm.savePractice as Action,
		user: () => lead,
		path: () => `/teams/${slug}/assessments/${cycle}/${phase}`,
		params: () => ({ slug, cycle, phase }),
		fields: () => ({
			practiceId,
			notApplicable: 'on',
			reason: 'We do not\u0000',
			target: '',
			baseVersion: '0'
		}),
		field: () => 'reason',
		message: NUL
	},
	...[
		['https://u:p@evil.example/', CREDENTIALS],
		['https://user@evil.example/', CREDENTIALS],
		['http://evil.example\\@good.example', BACKSLASH],
		['https://good.example/\nhttps://user@evil.example/', /^Link 2: Remove the part before @/],
		['https://evil.example/\u0000', NUL],
		['javascript:alert(1)', /https:\/\/ or http:\/\//]
	].flatMap(([evidence, message]): Case[] => [
		{
			what: `evidence link ${JSON.stringify(evidence)} (saved as you go)`,
			action: () => phaseForm.saveAnswer as Action,
			user: () => lead,
			path: () => `/teams/${slug}/assessments/${cycle}/${phase}`,
			params: () => ({ slug, cycle, phase }),
			fields: () => answer('', evidence as string),
			field: () => 'evidence',
			message: message as RegExp
		},
		{
			what: `evidence link ${JSON.stringify(evidence)} (whole phase, no JavaScript)`,
			action: () => phaseForm.savePhase as Action,
			user: () => lead,
			path: () => `/teams/${slug}/assessments/${cycle}/${phase}`,
			params: () => ({ slug, cycle, phase }),
			fields: () =>
				Object.fromEntries(
					Object.entries({ ...answer('', evidence as string), fingerprint: '' }).map(([k, v]) => [
						`${k}:${criterionId}`,
						v
					])
				),
			field: () => `evidence:${criterionId}`,
			message: message as RegExp
		}
	])
];

describe('bad input, answered as such', () => {
	it.each(cases.map((c) => [c.what, c] as const))(
		'%s: 400 beside the field, nothing stored',
		async (_, c) => {
			const before = await snapshot();
			const event = post(c.path(), c.user(), c.params?.() ?? {}, c.fields());
			const result = await c.action()(event);
			expect(result).toMatchObject({
				status: 400,
				data: { errors: { [c.field()]: expect.stringMatching(c.message) } }
			});
			expect(await snapshot()).toEqual(before);
		}
	);

	it('notices a change: a good value goes through the same way and is stored', async () => {
		const before = await snapshot();
		const result = await (account.profile as Action)(
			post('/account', lead, {}, { name: 'Ada Lovelace-Byron' })
		);
		expect(result).toMatchObject({ action: 'profile' });
		expect(await snapshot()).not.toEqual(before);
		const [me] = await handle.db.select().from(table.user).where(eq(table.user.id, lead.id));
		expect(me!.name).toBe('Ada Lovelace-Byron');
	});

	it('answers a NUL in the audit filter with 400, reading nothing', async () => {
		const url = new URL('http://127.0.0.1/admin/audit?action=team.created%00');
		const event = { locals: { db: handle.db, user: admin }, url } as never;
		await expect(auditLoad(event)).rejects.toMatchObject({ status: 400 });
	});
});
