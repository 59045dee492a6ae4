import type { GlobalRole, TeamRole } from '$lib/server/db/schema';

/** Everything a global role may do outside a particular team. */
export const permissions = [
	'users.manage',
	'orgUnits.manage',
	'teams.manage',
	'audit.view',
	'teams.viewAll',
	'dashboard.org',
	'reports.view',
	'assessments.review',
	'cycles.manage',
	'tools.manage'
] as const;
export type Permission = (typeof permissions)[number];

const granted: Record<GlobalRole, ReadonlySet<Permission>> = {
	admin: new Set(permissions),
	security: new Set<Permission>([
		'teams.viewAll',
		'dashboard.org',
		'reports.view',
		'assessments.review',
		'tools.manage'
	]),
	leadership: new Set<Permission>(['teams.viewAll', 'dashboard.org', 'reports.view']),
	member: new Set<Permission>()
};

export interface Actor {
	id: string;
	role: GlobalRole;
}

export interface Membership {
	role: TeamRole;
	champion: boolean;
}

/** Whether a global role grants a permission. */
export function can(actor: Actor, permission: Permission): boolean {
	return granted[actor.role].has(permission);
}

/** What someone may do to one team's records. */
export const teamActions = [
	'view',
	'edit',
	'submit',
	'manageMembers',
	'editResponsibility',
	'manageRota'
] as const;
export type TeamAction = (typeof teamActions)[number];

/**
 * The one rule for team data. Members and leads see and edit their own team (answer its
 * assessment and record its tools); leads and admins submit it and manage membership and the
 * on-call rota; leads and the security team set who is responsible for each practice; security and leadership see every team; nobody else sees anything.
 */
export function canOnTeam(
	actor: Actor,
	membership: Membership | null,
	action: TeamAction
): boolean {
	switch (action) {
		case 'view':
			return membership !== null || can(actor, 'teams.viewAll');
		case 'edit':
			return membership !== null || actor.role === 'admin';
		case 'submit':
			return membership?.role === 'lead' || actor.role === 'admin';
		case 'manageMembers':
		case 'manageRota':
			return membership?.role === 'lead' || can(actor, 'teams.manage');
		case 'editResponsibility':
			return membership?.role === 'lead' || can(actor, 'tools.manage');
	}
}

export interface NavItem {
	href: string;
	label: string;
	/** Areas that later issues build are listed but not yet linked. */
	available: boolean;
}

/** The app shell's navigation: only the areas this role may open. */
export function navigationFor(actor: Actor): NavItem[] {
	const items: (NavItem & { allowed: boolean })[] = [
		{ href: '/dashboard', label: 'Dashboard', available: true, allowed: true },
		{ href: '/teams', label: 'My teams', available: true, allowed: true },
		{ href: '/assessments', label: 'Assessments', available: true, allowed: true },
		{ href: '/tools', label: 'Tools', available: true, allowed: true },
		{
			href: '/responsibility',
			label: 'Responsibility',
			available: true,
			allowed: can(actor, 'teams.viewAll')
		},
		{ href: '/training', label: 'Training', available: true, allowed: true },
		{ href: '/reports', label: 'Reports', available: true, allowed: can(actor, 'reports.view') },
		{ href: '/admin', label: 'Admin', available: true, allowed: actor.role === 'admin' }
	];
	return items.filter((i) => i.allowed).map(({ allowed: _allowed, ...item }) => item);
}
