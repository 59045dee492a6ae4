import { demo } from './fixtures';

/**
 * Each role's main pages in the demo organisation: what its navigation leads to and the pages
 * people spend their time on. The narrow-screen and accessibility suites visit each of them.
 */
export type Role = 'member' | 'lead' | 'leadership' | 'security' | 'admin';

const team = '/teams/payments-api';
const cycle = '2026-Q4';

/** What every signed-in person opens. */
const everyone = [
	'/dashboard',
	'/teams',
	team,
	'/assessments',
	'/tools',
	'/training',
	'/training/monitoring-and-response',
	// Task lists: the lesson axe reported (rule `label`, 9 nodes).
	'/training/monitoring-and-response/05-on-call-and-incident-response',
	'/training/dynamic-testing/01-dynamic-testing-toolbox',
	'/scoring',
	'/practices/static-analysis',
	'/account'
];

/** The pages of the team the member and the lead belong to. */
const ownTeam = [
	`${team}/plan`,
	`${team}/tools`,
	`${team}/tools?q=secret`,
	`${team}/tools?all`,
	`${team}/responsibility`,
	`${team}/rota`,
	`${team}/integrations`,
	`${team}/findings`,
	`${team}/findings?state=fixed`,
	`${team}/assessments/${cycle}`,
	`${team}/assessments/${cycle}/build`
];

/** What the organisation-wide roles open. */
const organisation = [
	'/responsibility',
	'/reports',
	`/reports/${cycle}`,
	'/training/report',
	'/dashboard/heatmap'
];

export const mainPages: Record<Role, string[]> = {
	member: [...everyone, ...ownTeam, `/training/monitoring-and-response/quiz`],
	lead: [
		...everyone,
		...ownTeam,
		`${team}/assessments/${cycle}/questions`,
		`/training/assign/payments-api`
	],
	leadership: [...everyone, ...organisation],
	security: [
		...everyone,
		...organisation,
		'/tools/manage',
		`${team}/assessments/${cycle}`,
		`${team}/findings?state=dismissed`,
		// Submitted in the demo: the reviewer's workspace.
		`/teams/checkout-web/assessments/${cycle}/review`
	],
	admin: [
		...everyone,
		...organisation,
		'/admin',
		'/admin/users',
		'/admin/org-units',
		'/admin/teams',
		'/admin/teams/payments-api',
		'/admin/cycles',
		'/admin/tools/scanners',
		'/admin/audit',
		'/admin/outbox'
	]
};

export const signInOf: Record<Role, string> = {
	member: demo.member,
	lead: demo.lead,
	leadership: demo.leadership,
	security: demo.security,
	admin: demo.admin
};
