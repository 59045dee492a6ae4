import { readdirSync } from 'node:fs';
import path from 'node:path';
import { guardsRun, type GuardCall } from './guards';
import { guardNames } from './modules';
import { isRouteModule, routeHandlers } from './handlers';

export interface Policy {
	/** Handlers that may serve anyone, as `<path under routes> <handler>`. */
	anonymous: readonly string[];
	/** Permissions only the admin role holds: every handler in `(admin)` requires one. */
	adminPermissions: ReadonlySet<string>;
}

export type ProblemKind = 'unfollowable' | 'unguarded' | 'anonymous' | 'not-admin' | 'stale';

export interface Problem {
	/** `<path under routes> <handler>`, or the list entry for 'stale'. */
	id: string;
	kind: ProblemKind;
	detail: string;
}

export interface RouteHandler {
	id: string;
	guards: GuardCall[];
	unfollowable?: string;
}

/** Every handler under a routes folder with the guards it is sure to run. */
export function scanRoutes(routesDir: string): RouteHandler[] {
	const names = guardNames();
	return routeModules(routesDir).flatMap((file) => {
		const rel = path.relative(routesDir, file).split(path.sep).join('/');
		return routeHandlers(file).map((h) => {
			const id = `${rel} ${h.name}`;
			if ('unfollowable' in h) return { id, guards: [], unfollowable: h.unfollowable };
			return { id, guards: guardsRun(h.module, h.fn, names) };
		});
	});
}

/** What is wrong with each handler, and with the list of anonymous handlers. */
export function checkHandlers(handlers: RouteHandler[], policy: Policy): Problem[] {
	const problems: Problem[] = [];
	const anonymous = new Set(policy.anonymous);
	for (const h of handlers) {
		if (h.unfollowable) {
			problems.push({ id: h.id, kind: 'unfollowable', detail: h.unfollowable });
			continue;
		}
		if (!h.guards.length) {
			problems.push({
				id: h.id,
				kind: 'unguarded',
				detail: 'calls no guard from $lib/server/auth/guard before it can return'
			});
			continue;
		}
		if (h.guards.some((g) => g.guard === 'allowAnonymous') && !anonymous.has(h.id))
			problems.push({
				id: h.id,
				kind: 'anonymous',
				detail: 'calls allowAnonymous but is not in the reviewed list of anonymous handlers'
			});
		if (h.id.split('/').includes('(admin)') && !requiresAdmin(h.guards, policy))
			problems.push({
				id: h.id,
				kind: 'not-admin',
				detail: `requires none of ${[...policy.adminPermissions].join(', ')} with requirePermission`
			});
	}
	for (const entry of policy.anonymous) {
		const h = handlers.find((x) => x.id === entry);
		if (!h?.guards.some((g) => g.guard === 'allowAnonymous'))
			problems.push({
				id: entry,
				kind: 'stale',
				detail: h ? 'no longer calls allowAnonymous' : 'no such handler'
			});
	}
	return problems;
}

function requiresAdmin(guards: GuardCall[], policy: Policy): boolean {
	return guards.some(
		(g) =>
			g.guard === 'requirePermission' &&
			g.literals[1] !== undefined &&
			g.literals[1] !== null &&
			policy.adminPermissions.has(g.literals[1])
	);
}

function routeModules(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true })
		.flatMap((e) => {
			const p = path.join(dir, e.name);
			if (e.isDirectory()) return routeModules(p);
			return isRouteModule(p) ? [p] : [];
		})
		.sort();
}
