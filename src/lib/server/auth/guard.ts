import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { and, eq, sql } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import type { Database } from '$lib/server/db';
import { preparedQuery } from '$lib/server/db/prepared';
import { keptIfFound } from '$lib/server/teams/team-cache';
import type { SessionUser } from './session';
import type { ApiScope } from '$lib/server/db/schema';
import { apiError } from '$lib/server/http/api';
import { checkToken, type ApiCaller } from '$lib/server/integrations/tokens';
import { metricsAccess, metricsToken } from '$lib/server/observability/metrics-access';
import { needsStepUp } from './mfa-policy';
import { can, canOnTeam, type Membership, type Permission, type TeamAction } from './policy';

type Event = Pick<RequestEvent, 'locals' | 'url'>;

/**
 * The signed-in user, or a redirect to the sign-in page that comes back here. A session still
 * waiting for its second factor has no user (hooks.server.ts): it is sent to that step. A user
 * whose role requires a second factor they lack is sent to set one up before anything else.
 */
export function requireUser(event: Event): SessionUser {
	const user = requireSignedIn(event);
	if (event.locals.secondFactorSetupRequired) redirect(303, '/account/two-factor');
	return user;
}

function requireSignedIn(event: Event): SessionUser {
	const user = event.locals.user;
	if (!user) {
		const next = encodeURIComponent(event.url.pathname + event.url.search);
		if (event.locals.pendingSecondFactor) redirect(303, `/login/two-factor?next=${next}`);
		redirect(303, `/login?next=${next}`);
	}
	return user;
}

/** The signed-in user on the page where a second factor is set up: the MFA policy's one way out. */
export function requireUserForSecondFactorSetup(event: Event): SessionUser {
	return requireSignedIn(event);
}

/**
 * Who is asked for a second factor on /login/two-factor: a session waiting for it (sign-in),
 * or a signed-in user who has one confirming it again (step-up). Anyone else goes to sign in.
 */
export function requireSecondFactorChallenge(event: Event): {
	userId: string;
	sessionId: string;
	email: string;
	stepUp: boolean;
} {
	const pending = event.locals.pendingSecondFactor;
	if (pending) return { ...pending, stepUp: false };
	const user = requireSignedIn(event);
	if (!event.locals.secondFactorEnrolled || !event.locals.session) {
		redirect(303, '/account/two-factor');
	}
	return { userId: user.id, sessionId: event.locals.session.id, email: user.email, stepUp: true };
}

/**
 * For changing a password, an email or a second factor: a user with a second factor must have
 * confirmed it in the last few minutes, else they are sent to confirm it and come back.
 */
export function requireRecentSecondFactor(event: Event, backTo: string): void {
	if (!event.locals.secondFactorEnrolled) return;
	if (!needsStepUp(event.locals.session?.secondFactorAt ?? null)) return;
	redirect(303, `/login/two-factor?next=${encodeURIComponent(backTo)}`);
}

/** The signed-in user holding a permission; 403 otherwise. */
export function requirePermission(event: Event, permission: Permission): SessionUser {
	const user = requireUser(event);
	if (!can(user, permission)) error(403, 'You do not have access to this page.');
	return user;
}

/** Marks a route that anyone, signed in or not, may use (sign-in, setup, health checks). */
export function allowAnonymous(_event: Event): void {}

const tokenRefusals = {
	missing:
		'Send a team API token as "Authorization: Bearer rampart_pat_…" (the team lead makes one on the team\'s Integrations page).',
	unknown:
		'This token is not known: check that the CI secret holds the whole token, or make a new one.',
	revoked: "This token was revoked: make a new one on the team's Integrations page.",
	expired: "This token has expired: make a new one on the team's Integrations page.",
	archived: "This token's team is archived: its tokens no longer work.",
	team: 'This token belongs to another team.'
} as const;

/**
 * The API's one credential: a team API token in the Authorization header, verified for a scope
 * (and for the read API, the team in the address). Never a session cookie. Answers the refusal
 * as the response to send (401 or 403, JSON), or the token's team and scopes.
 */
export async function requireApiToken(
	event: Pick<RequestEvent, 'locals' | 'url' | 'request'>,
	scope: ApiScope | readonly ApiScope[],
	teamSlug: string | null = null
): Promise<{ ok: true; caller: ApiCaller } | { ok: false; response: Response }> {
	const check = await checkToken(
		event.locals.db,
		{
			authorization: event.request.headers.get('authorization'),
			ip: event.locals.ip,
			path: event.url.pathname
		},
		scope,
		teamSlug
	);
	if (check.ok) return check;
	const scopes = typeof scope === 'string' ? [scope] : scope;
	const message =
		check.reason === 'scope'
			? `This token does not have the "${scopes.join('" or "')}" scope: make one that has.`
			: tokenRefusals[check.reason];
	const challenge =
		check.status === 401
			? 'Bearer realm="rampart"'
			: check.reason === 'scope'
				? `Bearer realm="rampart", error="insufficient_scope", scope="${scopes.join(' ')}"`
				: 'Bearer realm="rampart", error="invalid_token"';
	return {
		ok: false,
		response: apiError(
			check.status,
			message,
			{ reason: check.reason },
			{ 'WWW-Authenticate': challenge }
		)
	};
}

/**
 * /metrics: the METRICS_TOKEN as a Bearer token or, when none is set, a request from this
 * machine that no proxy forwarded (observability/metrics-access.ts). Answers the refusal to
 * send (401 with a challenge, or 404 as if there were no such page), or null.
 */
export function requireMetricsAccess(
	event: Pick<RequestEvent, 'locals' | 'request'>
): Response | null {
	const access = metricsAccess(event.request.headers, event.locals.ip, metricsToken(process.env));
	if (access.allowed) return null;
	const headers: Record<string, string> = {
		'Content-Type': 'text/plain',
		'Cache-Control': 'no-store'
	};
	if (access.status === 401) {
		headers['WWW-Authenticate'] = access.challenge;
		return new Response('Send the METRICS_TOKEN as "Authorization: Bearer …".\n', {
			status: 401,
			headers
		});
	}
	return new Response('Not found\n', { status: 404, headers });
}

/**
 * The team behind a slug, if the user may act on it; 404 otherwise, so that a team you may
 * not see is indistinguishable from one that does not exist.
 */
export async function requireTeamAccess(event: Event, slug: string, action: TeamAction) {
	const user = requireUser(event);
	const db = event.locals.db;
	const row = await keptIfFound(db, `guard.team:${user.id}:${slug}`, async () => {
		const [found] = await teamAccessQuery(db).execute({ userId: user.id, slug });
		return found && { value: found, teamId: found.team.id, assessments: [] };
	});
	return allowTeam(user, row, action);
}

/**
 * A team's assessment for a cycle, if the user may act on that team; 404 otherwise. One query
 * for team, membership, assessment and cycle: the assessment form's saves pass through here.
 *
 * What the checks read (the team, the user's membership, the assessment, the cycle) is kept on
 * the embedded database until any of it changes (teams/team-cache.ts): triggers drop a team's
 * entries when the team, its members or its assessments' status change, an assessment's
 * entries when its answers change (its score moves with them), and everything when a cycle
 * changes. Who the user is and their role come from the session check, never from here.
 */
export async function requireAssessmentAccess(
	event: Event,
	slug: string,
	cycleName: string,
	action: TeamAction
) {
	const user = requireUser(event);
	const db = event.locals.db;
	type Row = Awaited<ReturnType<ReturnType<typeof assessmentAccessQuery>['execute']>>[number];
	let read: Row | undefined;
	const kept = await keptIfFound(
		db,
		`guard.assessment:${user.id}:${slug}:${cycleName}`,
		async () => {
			[read] = await assessmentAccessQuery(db).execute({ userId: user.id, slug, cycleName });
			// Only a team with its assessment is kept: one made later must be found then.
			return read?.assessment
				? { value: read, teamId: read.team.id, assessments: [read.assessment.id] }
				: undefined;
		}
	);
	const row = kept ?? read;
	const access = allowTeam(user, row, action);
	// Only after the team check: whether a hidden team has an assessment is not told either.
	if (!row?.assessment || !row.cycle) error(404, 'This team has no assessment in that cycle.');
	return { ...access, assessment: row.assessment, cycle: row.cycle };
}

/**
 * The team check and the id of the team's assessment in a cycle (404 when there is none), for
 * the answer save, the assessment form's hot path. Nothing here shows the assessment's row, so
 * what is kept (teams/team-cache.ts) survives the assessment's answers being saved; the save
 * itself reads the assessment's state and refuses a locked one.
 */
export async function requireAssessmentIdAccess(
	event: Event,
	slug: string,
	cycleName: string,
	action: TeamAction
) {
	const access = await requireTeamAccess(event, slug, action);
	const db = event.locals.db;
	const teamId = access.team.id;
	const found = await keptIfFound(db, `assessment.id:${teamId}:${cycleName}`, async () => {
		const [row] = await assessmentIdQuery(db).execute({ teamId, cycleName });
		return row && { value: row, teamId, assessments: [] };
	});
	if (!found) error(404, 'This team has no assessment in that cycle.');
	return { ...access, assessmentId: found.id };
}

function teamWithMembership<T extends SelectedFields>(db: Database, more: T = {} as T) {
	return db
		.select({
			team: table.team,
			role: table.teamMember.role,
			champion: table.teamMember.champion,
			...more
		})
		.from(table.team)
		.leftJoin(
			table.teamMember,
			and(
				eq(table.teamMember.teamId, table.team.id),
				eq(table.teamMember.userId, sql.placeholder('userId'))
			)
		)
		.$dynamic();
}

/** What the team check reads: the team behind a slug and the user's membership. */
const teamAccess = (db: Database) =>
	teamWithMembership(db).where(eq(table.team.slug, sql.placeholder('slug')));

/** What the assessment check reads: the team check's rows, the cycle and the team's assessment in it. */
const assessmentAccess = (db: Database) =>
	teamWithMembership(db, { assessment: table.assessment, cycle: table.cycle })
		.leftJoin(table.cycle, eq(table.cycle.name, sql.placeholder('cycleName')))
		.leftJoin(
			table.assessment,
			and(eq(table.assessment.teamId, table.team.id), eq(table.assessment.cycleId, table.cycle.id))
		)
		.where(eq(table.team.slug, sql.placeholder('slug')));

/** The id of a team's assessment in the cycle with a name. */
const assessmentId = (db: Database) =>
	db
		.select({ id: table.assessment.id })
		.from(table.assessment)
		.innerJoin(table.cycle, eq(table.cycle.id, table.assessment.cycleId))
		.where(
			and(
				eq(table.assessment.teamId, sql.placeholder('teamId')),
				eq(table.cycle.name, sql.placeholder('cycleName'))
			)
		);

/** The checks' statements, for team-cache.test.ts (it checks a trigger watches what they read). */
export const accessStatements = { teamAccess, assessmentAccess, assessmentId };

// Every team page and every save runs one of these: built once per database (db/prepared.ts).
const teamAccessQuery = (db: Database) =>
	preparedQuery(db, 'guard.team', (db) => teamAccess(db).prepare('guard_team'));

const assessmentAccessQuery = (db: Database) =>
	preparedQuery(db, 'guard.assessment', (db) => assessmentAccess(db).prepare('guard_assessment'));

const assessmentIdQuery = (db: Database) =>
	preparedQuery(db, 'guard.assessmentId', (db) => assessmentId(db).prepare('guard_assessment_id'));

function allowTeam(
	user: SessionUser,
	row:
		| {
				team: typeof table.team.$inferSelect;
				role: Membership['role'] | null;
				champion: boolean | null;
		  }
		| undefined,
	action: TeamAction
) {
	if (!row) error(404, 'Team not found');
	const membership: Membership | null = row.role
		? { role: row.role, champion: !!row.champion }
		: null;
	if (!canOnTeam(user, membership, 'view')) error(404, 'Team not found');
	if (!canOnTeam(user, membership, action)) error(403, 'You may not change this team.');
	return { user, team: row.team, membership };
}
