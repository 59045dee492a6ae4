import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import type { Database } from '$lib/server/db';
import type { SessionUser } from './session';
import { can, canOnTeam, type Membership, type Permission, type TeamAction } from './policy';

type Event = Pick<RequestEvent, 'locals' | 'url'>;

/** The signed-in user, or a redirect to the sign-in page that comes back here. */
export function requireUser(event: Event): SessionUser {
	const user = event.locals.user;
	if (!user) {
		const next = event.url.pathname + event.url.search;
		redirect(303, `/login?next=${encodeURIComponent(next)}`);
	}
	return user;
}

/** The signed-in user holding a permission; 403 otherwise. */
export function requirePermission(event: Event, permission: Permission): SessionUser {
	const user = requireUser(event);
	if (!can(user, permission)) error(403, 'You do not have access to this page.');
	return user;
}

/** Marks a route that anyone, signed in or not, may use (sign-in, setup, health checks). */
export function allowAnonymous(_event: Event): void {}

/**
 * The team behind a slug, if the user may act on it; 404 otherwise, so that a team you may
 * not see is indistinguishable from one that does not exist.
 */
export async function requireTeamAccess(event: Event, slug: string, action: TeamAction) {
	const user = requireUser(event);
	const [row] = await teamWithMembership(event.locals.db, user.id).where(eq(table.team.slug, slug));
	return allowTeam(user, row, action);
}

/**
 * A team's assessment for a cycle, if the user may act on that team; 404 otherwise. One query
 * for team, membership, assessment and cycle: the assessment form's saves pass through here.
 */
export async function requireAssessmentAccess(
	event: Event,
	slug: string,
	cycleName: string,
	action: TeamAction
) {
	const user = requireUser(event);
	const [row] = await teamWithMembership(event.locals.db, user.id, {
		assessment: table.assessment,
		cycle: table.cycle
	})
		.leftJoin(table.cycle, eq(table.cycle.name, cycleName))
		.leftJoin(
			table.assessment,
			and(eq(table.assessment.teamId, table.team.id), eq(table.assessment.cycleId, table.cycle.id))
		)
		.where(eq(table.team.slug, slug));
	const access = allowTeam(user, row, action);
	// Only after the team check: whether a hidden team has an assessment is not told either.
	if (!row?.assessment || !row.cycle) error(404, 'This team has no assessment in that cycle.');
	return { ...access, assessment: row.assessment, cycle: row.cycle };
}

function teamWithMembership<T extends SelectedFields>(
	db: Database,
	userId: string,
	more: T = {} as T
) {
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
			and(eq(table.teamMember.teamId, table.team.id), eq(table.teamMember.userId, userId))
		)
		.$dynamic();
}

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
