import { describe, expect, it } from 'vitest';
import {
	can,
	canOnTeam,
	canWriteReportSummary,
	navigationFor,
	permissions,
	reviewRight,
	rolesWith,
	tokenRefusal,
	type Membership,
	type Permission,
	type TeamAction
} from './policy';
import type { GlobalRole } from '$lib/server/db/schema';

const actor = (role: GlobalRole) => ({ id: 'u', role });
const lead: Membership = { role: 'lead', champion: false };
const member: Membership = { role: 'member', champion: true };

describe('global permissions (role × permission)', () => {
	const table: Record<GlobalRole, Permission[]> = {
		admin: [...permissions],
		security: [
			'teams.viewAll',
			'dashboard.org',
			'reports.view',
			'assessments.review',
			'tools.manage',
			'integrations.manage'
		],
		leadership: ['teams.viewAll', 'dashboard.org', 'reports.view'],
		member: []
	};
	for (const [role, allowed] of Object.entries(table) as [GlobalRole, Permission[]][]) {
		for (const permission of permissions) {
			const expected = allowed.includes(permission);
			it(`${role} ${expected ? 'may' : 'may not'} ${permission}`, () => {
				expect(can(actor(role), permission)).toBe(expected);
			});
		}
	}
});

describe('team access (role × membership × action)', () => {
	const cases: [GlobalRole, Membership | null, TeamAction, boolean][] = [
		['member', null, 'view', false],
		['member', null, 'edit', false],
		['member', null, 'manageMembers', false],
		['member', member, 'view', true],
		['member', member, 'edit', true],
		['member', member, 'manageMembers', false],
		['member', lead, 'manageMembers', true],
		['member', member, 'submit', false],
		['member', lead, 'submit', true],
		['security', null, 'submit', false],
		['leadership', null, 'submit', false],
		['admin', null, 'submit', true],
		['member', member, 'editResponsibility', false],
		['member', lead, 'editResponsibility', true],
		['security', null, 'editResponsibility', true],
		['leadership', null, 'editResponsibility', false],
		['member', member, 'manageRota', false],
		['member', lead, 'manageRota', true],
		['security', null, 'manageRota', false],
		['admin', null, 'manageRota', true],
		['security', null, 'view', true],
		['security', null, 'edit', false],
		['security', null, 'manageMembers', false],
		['leadership', null, 'view', true],
		['leadership', null, 'edit', false],
		['leadership', null, 'manageMembers', false],
		['admin', null, 'view', true],
		['admin', null, 'edit', true],
		['admin', null, 'manageMembers', true],
		['member', null, 'editPlan', false],
		['member', member, 'editPlan', true],
		['member', lead, 'editPlan', true],
		['security', null, 'editPlan', false],
		['leadership', null, 'editPlan', false],
		['admin', null, 'editPlan', true],
		['member', member, 'answerQuestions', true],
		['member', lead, 'answerQuestions', true],
		['admin', lead, 'answerQuestions', true],
		['member', null, 'answerQuestions', false],
		['security', null, 'answerQuestions', false],
		['leadership', null, 'answerQuestions', false],
		['admin', null, 'answerQuestions', false],
		['member', lead, 'manageIntegrations', true],
		['member', member, 'manageIntegrations', false],
		['member', null, 'manageIntegrations', false],
		['security', null, 'manageIntegrations', true],
		['leadership', null, 'manageIntegrations', false],
		['admin', null, 'manageIntegrations', true],
		['member', member, 'dismissFindings', true],
		['member', lead, 'dismissFindings', true],
		['member', null, 'dismissFindings', false],
		['security', null, 'dismissFindings', false],
		['leadership', null, 'dismissFindings', false],
		['admin', null, 'dismissFindings', false]
	];
	for (const [role, membership, action, expected] of cases) {
		it(`${role} ${membership ? `(team ${membership.role})` : '(outsider)'} ${expected ? 'may' : 'may not'} ${action}`, () => {
			expect(canOnTeam(actor(role), membership, action)).toBe(expected);
		});
	}
});

describe('navigation', () => {
	it('shows Admin only to admins and Reports only to those who may read them', () => {
		const labels = (role: GlobalRole) =>
			navigationFor(actor(role), { inAnyTeam: true }).map((i) => i.label);
		expect(labels('admin')).toContain('Admin');
		expect(labels('security')).not.toContain('Admin');
		expect(labels('leadership')).toContain('Reports');
		expect(labels('member')).not.toContain('Reports');
		expect(labels('member')).toContain('My teams');
	});

	it('says "Teams" to those who see every team and "My teams" only to members of one', () => {
		const teamsLink = (role: GlobalRole, inAnyTeam: boolean) =>
			navigationFor(actor(role), { inAnyTeam })
				.filter((i) => i.href === '/teams')
				.map((i) => i.label);
		for (const role of ['admin', 'security', 'leadership'] as const) {
			expect(teamsLink(role, false), role).toEqual(['Teams']);
			expect(teamsLink(role, true), role).toEqual(['Teams']);
		}
		expect(teamsLink('member', true)).toEqual(['My teams']);
		expect(teamsLink('member', false)).toEqual([]);
		expect(navigationFor(actor('member'), { inAnyTeam: false }).map((i) => i.href)).toEqual([
			'/dashboard',
			'/assessments',
			'/tools',
			'/training'
		]);
	});
});

describe('separation of duties in review (role × membership × reviewers outside the team)', () => {
	const cases: [GlobalRole, Membership | null, number, ReturnType<typeof reviewRight>][] = [
		['security', null, 0, { allowed: true, selfReview: false }],
		['security', null, 3, { allowed: true, selfReview: false }],
		['admin', null, 1, { allowed: true, selfReview: false }],
		['security', member, 1, { allowed: false, reason: 'ownTeam' }],
		['security', lead, 2, { allowed: false, reason: 'ownTeam' }],
		['admin', member, 1, { allowed: false, reason: 'ownTeam' }],
		['security', member, 0, { allowed: true, selfReview: true }],
		['admin', lead, 0, { allowed: true, selfReview: true }],
		['leadership', null, 0, { allowed: false, reason: 'role' }],
		['member', lead, 0, { allowed: false, reason: 'role' }]
	];
	for (const [role, membership, outside, expected] of cases) {
		it(`${role} ${membership ? `(team ${membership.role})` : '(outsider)'} with ${outside} other reviewer(s): ${JSON.stringify(expected)}`, () => {
			expect(reviewRight(actor(role), membership, outside)).toEqual(expected);
		});
	}
	it('counts the roles that grant review', () => {
		expect(rolesWith('assessments.review').sort()).toEqual(['admin', 'security']);
	});
});

describe("the report's executive summary", () => {
	const writes: Record<GlobalRole, boolean> = {
		admin: true,
		security: true,
		leadership: false,
		member: false
	};
	for (const [role, expected] of Object.entries(writes) as [GlobalRole, boolean][]) {
		it(`${role} ${expected ? 'writes' : 'only reads'} it`, () => {
			expect(canWriteReportSummary(actor(role))).toBe(expected);
			expect(expected).toBe(
				can(actor(role), 'reports.view') && can(actor(role), 'assessments.review')
			);
		});
	}
});

describe('team API tokens', () => {
	const now = new Date('2026-05-01T12:00:00Z');
	const token = {
		teamId: 'alpha',
		scopes: ['scans:write'] as const,
		expiresAt: new Date('2026-06-01T00:00:00Z'),
		revokedAt: null,
		teamActive: true
	};
	it('acts for its own team within its scopes', () => {
		expect(tokenRefusal(token, 'alpha', 'scans:write', now)).toBeNull();
		expect(tokenRefusal(token, 'alpha', 'read', now)).toBe('scope');
		expect(tokenRefusal({ ...token, scopes: ['read'] }, 'alpha', 'read', now)).toBeNull();
		expect(tokenRefusal(token, 'beta', 'scans:write', now)).toBe('team');
	});
	it('ends when revoked, at expiry, and when its team is archived, whatever the scope', () => {
		expect(tokenRefusal({ ...token, revokedAt: now }, 'alpha', 'scans:write', now)).toBe('revoked');
		expect(tokenRefusal({ ...token, expiresAt: now }, 'alpha', 'scans:write', now)).toBe('expired');
		expect(tokenRefusal({ ...token, teamActive: false }, 'alpha', 'scans:write', now)).toBe(
			'archived'
		);
		// Revocation is told before anything else: it is the one a person chose.
		expect(tokenRefusal({ ...token, revokedAt: now, teamActive: false }, 'beta', 'read', now)).toBe(
			'revoked'
		);
	});
});
