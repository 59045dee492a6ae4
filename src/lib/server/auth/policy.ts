import { globalRoles, type ApiScope, type GlobalRole, type TeamRole } from '$lib/server/db/schema';

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
	'tools.manage',
	// Which catalogue tool a scanner name in uploads is: it moves every team's evidence at once.
	'scanners.map',
	'integrations.manage',
	// The email and chat queues, and the text of emails kept unsent while email is off.
	'outbox.view'
] as const;
export type Permission = (typeof permissions)[number];

const granted: Record<GlobalRole, ReadonlySet<Permission>> = {
	admin: new Set(permissions),
	security: new Set<Permission>([
		'teams.viewAll',
		'dashboard.org',
		'reports.view',
		'assessments.review',
		'tools.manage',
		'integrations.manage'
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
	'manageRota',
	'editPlan',
	'answerQuestions',
	'manageIntegrations',
	'dismissFindings'
] as const;
export type TeamAction = (typeof teamActions)[number];

/**
 * The one rule for team data. Members and leads see and edit their own team (answer its
 * assessment and record its tools); leads and admins submit it and manage membership and the
 * on-call rota; leads and the security team set who is responsible for each practice; security and leadership see every team; nobody else sees anything.
 * The improvement plan is the team's own: its members and leads make and change items (admins
 * too), while security and leadership only read it. Only the team answers a reviewer's
 * questions: an admin outside it does not speak for it.
 * Pipeline integrations (API tokens, the repositories' default branch and web address) are set
 * by the lead and the security team; dismissing a finding is the team's own judgement, made by
 * its members (the security team sees the reason, but does not dismiss for the team).
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
		case 'editPlan':
			return membership !== null || actor.role === 'admin';
		case 'submit':
			return membership?.role === 'lead' || actor.role === 'admin';
		case 'manageMembers':
		case 'manageRota':
			return membership?.role === 'lead' || can(actor, 'teams.manage');
		case 'editResponsibility':
			return membership?.role === 'lead' || can(actor, 'tools.manage');
		case 'answerQuestions':
		case 'dismissFindings':
			return membership !== null;
		case 'manageIntegrations':
			return membership?.role === 'lead' || can(actor, 'integrations.manage');
	}
}

/** A team API token as the policy sees it: whose it is, what it may do, and whether it still may. */
export interface TokenActor {
	teamId: string;
	scopes: readonly ApiScope[];
	expiresAt: Date;
	revokedAt: Date | null;
	teamActive: boolean;
}

export type TokenRefusal = 'revoked' | 'expired' | 'archived' | 'scope' | 'team';

/**
 * The one rule for API tokens (the API never takes a session): a token acts for its own team
 * only, within its scopes (any one of `scope` when several would do), until it is revoked,
 * expires or its team is archived. Returns why not, or null when it may.
 */
export function tokenRefusal(
	token: TokenActor,
	teamId: string,
	scope: ApiScope | readonly ApiScope[],
	now = new Date()
): TokenRefusal | null {
	if (token.revokedAt) return 'revoked';
	if (token.expiresAt <= now) return 'expired';
	if (!token.teamActive) return 'archived';
	if (token.teamId !== teamId) return 'team';
	const wanted: readonly ApiScope[] = typeof scope === 'string' ? [scope] : scope;
	if (!wanted.some((s) => token.scopes.includes(s))) return 'scope';
	return null;
}

/** The global roles that grant a permission (for queries such as "who could review this"). */
export function rolesWith(permission: Permission): GlobalRole[] {
	return globalRoles.filter((role) => granted[role].has(permission));
}

export type ReviewRight =
	{ allowed: true; selfReview: boolean } | { allowed: false; reason: 'role' | 'ownTeam' };

/**
 * Separation of duties: who may approve or return a team's assessment. A reviewer never reviews
 * a team they belong to (admins included) while someone outside the team could review it; when
 * nobody outside the team holds the right, the only possible reviewers may, and the review is
 * marked as a self-review. `reviewersOutsideTeam` counts active users who may review and are
 * not members of the team.
 */
export function reviewRight(
	actor: Actor,
	membership: Membership | null,
	reviewersOutsideTeam: number
): ReviewRight {
	if (!can(actor, 'assessments.review')) return { allowed: false, reason: 'role' };
	if (!membership) return { allowed: true, selfReview: false };
	if (reviewersOutsideTeam > 0) return { allowed: false, reason: 'ownTeam' };
	return { allowed: true, selfReview: true };
}

/**
 * Who writes a cycle's executive summary on the printable report: the security team, who read
 * the report and review the assessments it sums up (admins hold every permission).
 */
export function canWriteReportSummary(actor: Actor): boolean {
	return can(actor, 'reports.view') && can(actor, 'assessments.review');
}

export interface NavItem {
	href: string;
	label: string;
	/** Areas that later issues build are listed but not yet linked. */
	available: boolean;
}

/**
 * The app shell's navigation: only the areas this role may open. Those who see every team get
 * "Teams"; anyone else gets "My teams" only while they belong to a team (the page has nothing
 * for them otherwise).
 */
export function navigationFor(actor: Actor, facts: { inAnyTeam: boolean }): NavItem[] {
	const seesAll = can(actor, 'teams.viewAll');
	const items: (NavItem & { allowed: boolean })[] = [
		{ href: '/dashboard', label: 'Dashboard', available: true, allowed: true },
		{
			href: '/teams',
			label: seesAll ? 'Teams' : 'My teams',
			available: true,
			allowed: seesAll || facts.inAnyTeam
		},
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
