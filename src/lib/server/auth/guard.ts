import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { findAssessment } from '$lib/server/assessments/assessments';
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
	const db = event.locals.db;
	const [row] = await db
		.select({
			team: table.team,
			role: table.teamMember.role,
			champion: table.teamMember.champion
		})
		.from(table.team)
		.leftJoin(
			table.teamMember,
			and(eq(table.teamMember.teamId, table.team.id), eq(table.teamMember.userId, user.id))
		)
		.where(eq(table.team.slug, slug));
	if (!row) error(404, 'Team not found');
	const membership: Membership | null = row.role
		? { role: row.role, champion: !!row.champion }
		: null;
	if (!canOnTeam(user, membership, 'view')) error(404, 'Team not found');
	if (!canOnTeam(user, membership, action)) error(403, 'You may not change this team.');
	return { user, team: row.team, membership };
}

/** A team's assessment for a cycle, if the user may act on that team; 404 otherwise. */
export async function requireAssessmentAccess(
	event: Event,
	slug: string,
	cycleName: string,
	action: TeamAction
) {
	const access = await requireTeamAccess(event, slug, action);
	const found = await findAssessment(event.locals.db, access.team.id, cycleName);
	if (!found) error(404, 'This team has no assessment in that cycle.');
	return { ...access, ...found };
}
