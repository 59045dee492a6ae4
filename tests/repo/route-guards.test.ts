import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { can, permissions } from '$lib/server/auth/policy';
import { globalRoles } from '$lib/server/db/schema';
import { checkHandlers, scanRoutes, type Policy } from './route-guards/check';

// Every load, action and endpoint decides access itself: a +layout guard alone can be skipped
// (actions and endpoints do not run layout loads). The check reads the route modules' syntax
// trees: a guard is a call to a function imported from $lib/server/auth/guard that the handler
// is sure to make before it can return, itself or through functions of its own module.

/**
 * The handlers anyone may use, signed in or not. Reviewed: each serves nothing that belongs to
 * a user or a team. Adding one here is a decision, not a fix for a failing test.
 */
const anonymous = [
	// Reads only who is signed in, to draw the header.
	'+layout.server.ts load',
	// Sends you to the dashboard, sign-in or setup.
	'+page.server.ts load',
	// Public certificate verification: a holder's name, a track, a date.
	'(public)/certificates/[id]/+page.server.ts load',
	// Accepting an invitation: the token is the credential.
	'(public)/invite/[token]/+page.server.ts load',
	'(public)/invite/[token]/+page.server.ts actions.default',
	'(public)/login/+page.server.ts load',
	'(public)/login/+page.server.ts actions.default',
	// Signing in with a passkey alone: a challenge bound to the asking browser, and the passkey's
	// signed answer to it (the credential).
	'(public)/login/passkey/+page.server.ts load',
	'(public)/login/passkey/+page.server.ts actions.default',
	'(public)/login/passkey/challenge/+server.ts POST',
	// Single sign-on: starting it, and the provider's answer (its code, state and nonce are the
	// credential, checked against the flow this browser started).
	'(public)/login/oidc/+server.ts GET',
	'(public)/login/oidc/callback/+page.server.ts load',
	// Asking for a reset link (same answer for any address, throttled like sign-in), and using
	// one: the emailed token is the credential.
	'(public)/reset-password/+page.server.ts load',
	'(public)/reset-password/+page.server.ts actions.default',
	'(public)/reset-password/[token]/+page.server.ts load',
	'(public)/reset-password/[token]/+page.server.ts actions.default',
	// Open only while there is no user at all.
	'(public)/setup/+page.server.ts load',
	'(public)/setup/+page.server.ts actions.default',
	// Signing out must work with an expired session too.
	'logout/+page.server.ts load',
	'logout/+page.server.ts actions.default',
	// Load balancers' probes.
	'healthz/+server.ts GET',
	'readyz/+server.ts GET',
	// The pipeline API's OpenAPI description: how to call it, no team's data.
	'api/v1/openapi.json/+server.ts GET'
];

/** Permissions that the admin role holds and no other role does, read from the policy. */
const adminPermissions = new Set(
	permissions.filter((p) =>
		globalRoles.every((role) => can({ id: 'x', role }, p) === (role === 'admin'))
	)
);

describe('every server route checks access', () => {
	const handlers = scanRoutes(path.resolve('src/routes'));
	const problems = checkHandlers(handlers, { anonymous, adminPermissions });

	it('finds the route handlers', () => {
		expect(handlers.length).toBeGreaterThan(60);
	});

	it('knows which permissions are the admin’s alone', () => {
		expect(adminPermissions).toContain('users.manage');
		expect(adminPermissions).not.toContain('reports.view');
	});

	for (const h of handlers) {
		it(h.id, () => {
			expect(problems.filter((p) => p.id === h.id)).toEqual([]);
		});
	}

	it('lists only anonymous handlers that exist and are anonymous', () => {
		expect(problems.filter((p) => p.kind === 'stale')).toEqual([]);
	});
});

describe('the check catches leaks in fixture routes', () => {
	const fixtures = path.resolve('tests/repo/fixtures/route-guards');
	const policy: Policy = {
		anonymous: ['public/+page.server.ts load', 'gone/+page.server.ts load'],
		adminPermissions
	};
	const handlers = scanRoutes(fixtures);
	const problems = checkHandlers(handlers, policy);
	const kinds = (prefix: string) =>
		problems
			.filter((p) => p.id.startsWith(prefix))
			.map((p) => `${p.id}: ${p.kind}`)
			.sort();

	it('a load written as a function declaration that guards nothing', () => {
		expect(kinds('leaks/function-load/')).toEqual([
			'leaks/function-load/+page.server.ts load: unguarded'
		]);
	});

	it('an admin route that calls only allowAnonymous, or a permission others hold', () => {
		expect(kinds('(admin)/')).toEqual([
			'(admin)/admin/anonymous/+page.server.ts load: anonymous',
			'(admin)/admin/anonymous/+page.server.ts load: not-admin',
			'(admin)/admin/weak/+page.server.ts load: not-admin'
		]);
	});

	it('a guard named only in a comment or a string, or a local function of the same name', () => {
		expect(kinds('leaks/guard-in-comment/')).toEqual([
			'leaks/guard-in-comment/+server.ts GET: unguarded'
		]);
		expect(kinds('leaks/same-name/')).toEqual(['leaks/same-name/+server.ts GET: unguarded']);
	});

	it('a re-export or a wrapper the check cannot follow', () => {
		expect(kinds('leaks/unfollowable-')).toEqual([
			'leaks/unfollowable-reexport/+page.server.ts load: unfollowable',
			'leaks/unfollowable-star/+server.ts export *: unfollowable'
		]);
		expect(kinds('leaks/wrapped/')).toEqual(['leaks/wrapped/+server.ts GET: unfollowable']);
	});

	it('an action in method shorthand without a guard', () => {
		expect(kinds('leaks/method-action/')).toEqual([
			'leaks/method-action/+page.server.ts actions.remove: unguarded'
		]);
	});

	it('a guard that may not run: never called, after a return, or in a branch', () => {
		expect(kinds('leaks/never-called/')).toEqual([
			'leaks/never-called/+page.server.ts load: unguarded'
		]);
		expect(kinds('leaks/after-return/')).toEqual([
			'leaks/after-return/+page.server.ts load: unguarded'
		]);
		expect(kinds('leaks/conditional/')).toEqual(['leaks/conditional/+server.ts GET: unguarded']);
	});

	it('an anonymous handler nobody listed, and a listed one that is gone', () => {
		expect(kinds('leaks/anonymous-unlisted/')).toEqual([
			'leaks/anonymous-unlisted/+server.ts GET: anonymous'
		]);
		expect(kinds('gone/')).toEqual(['gone/+page.server.ts load: stale']);
	});

	it('passes every correctly guarded form of handler', () => {
		expect(kinds('ok/')).toEqual([]);
		expect(kinds('public/')).toEqual([]);
		const ids = handlers.map((h) => h.id);
		expect(ids).toEqual(
			expect.arrayContaining([
				'ok/every-action-form/+page.server.ts load',
				...['save', 'publish', 'remove', 'rename', 'archive', 'restore', 'quoted-name'].map(
					(a) => `ok/every-action-form/+page.server.ts actions.${a}`
				),
				'ok/function-declarations/+server.ts GET',
				'ok/function-declarations/+server.ts POST',
				'ok/reexport/+page.server.ts load',
				'ok/reexport/+page.server.ts actions.default',
				'ok/aliases/+server.ts GET',
				'ok/aliases/+server.ts POST',
				'ok/aliases/+server.ts DELETE',
				'ok/star/+server.ts GET',
				'ok/expression-bodies/+server.ts GET',
				'(admin)/+layout.server.ts load',
				'(admin)/admin/users/+page.server.ts actions.invite'
			])
		);
		// Nothing but the leaks above is reported.
		expect(
			problems.filter((p) => !/^(leaks\/|\(admin\)\/admin\/(anonymous|weak)\/|gone\/)/.test(p.id))
		).toEqual([]);
	});
});
