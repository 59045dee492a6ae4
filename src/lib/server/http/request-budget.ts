import type { Handle } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import { isDatabaseUnavailable, isStorageFull } from '$lib/server/db/errors';
import { rowsOf } from '$lib/server/db/rows';
import { metricsAccess, metricsToken } from '$lib/server/observability/metrics-access';

/**
 * Every client address has a budget of requests: a token bucket of `burst` tokens refilled at
 * `perSecond`. A page view costs 1, any other method 3, and a POST to a route that hashes a
 * password (argon2: tens of milliseconds of CPU each) costs PASSWORD_COST, so no address can make
 * the server hash faster than the refill allows, whatever the route. The sign-in throttle (per
 * address and account, for failed sign-ins) comes on top.
 *
 * The bucket lives in the database, so every instance behind a load balancer spends from the same
 * one; an instance takes tokens from it a lease at a time (10, growing for a busy address) and
 * spends them locally, so most page views cost no query.
 */
export interface BudgetSettings {
	burst: number;
	perSecond: number;
}

export const PASSWORD_COST = 20;
const WRITE_COST = 3;
const READ_COST = 1;
export const LEASE_TOKENS = 10;
/**
 * A busy address's lease doubles each time it runs out while still fresh, up to a tenth of the
 * burst (and 100): at most that much can sit unspent on each instance, and the bucket is asked
 * once per that many page views.
 */
export const MAX_LEASE_TOKENS = 100;
/** Tokens taken but not spent within this time are dropped, so an idle lease never outlives it. */
export const LEASE_MS = 10_000;

/** Routes whose POSTs hash a password (request-budget.test.ts fails when one is missing). */
export const passwordRoutes: ReadonlySet<string> = new Set([
	'/(public)/login',
	'/(public)/setup',
	'/(public)/invite/[token]',
	'/(public)/reset-password/[token]',
	'/(app)/account'
]);

/**
 * GETs that sign in through the OpenID provider (a discovery, a token exchange, a session) cost
 * what a write does.
 */
const signInGets: ReadonlySet<string> = new Set([
	'/(public)/login/oidc',
	'/(public)/login/oidc/callback'
]);

/** Health checks are free: load balancers poll them from one address all day. */
const freeRoutes: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/** What one request costs. */
export function requestCost(method: string, routeId: string | null): number {
	if (routeId && freeRoutes.has(routeId)) return 0;
	if (routeId && signInGets.has(routeId)) return WRITE_COST;
	if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return READ_COST;
	return routeId && passwordRoutes.has(routeId) ? PASSWORD_COST : WRITE_COST;
}

/** Reads REQUEST_BUDGET_BURST and REQUEST_BUDGET_PER_SECOND (defaults 300 and 5). */
export function budgetSettings(env: Record<string, string | undefined>): BudgetSettings {
	const read = (name: string, fallback: number, min: number) => {
		const raw = env[name]?.trim();
		if (!raw) return fallback;
		const n = Number(raw);
		if (!Number.isFinite(n) || n < min)
			throw new Error(`${name} must be a number of at least ${min}, not "${raw}".`);
		return n;
	};
	return {
		burst: read('REQUEST_BUDGET_BURST', 300, Math.max(PASSWORD_COST, LEASE_TOKENS)),
		perSecond: read('REQUEST_BUDGET_PER_SECOND', 5, 0.01)
	};
}

export type Take = { granted: true } | { granted: false; retryAfterSeconds: number };

/**
 * Takes `tokens` from an address's bucket in one statement, refilling it for the time since it
 * was last touched; a bucket seen for the first time starts full. Nothing is taken when too few
 * are left.
 */
export async function takeTokens(
	db: Database,
	settings: BudgetSettings,
	address: string,
	tokens: number
): Promise<Take> {
	const { burst, perSecond } = settings;
	const refilled = sql`least(${burst}::float8, b.tokens + extract(epoch from clock_timestamp() - b.refilled_at)::float8 * ${perSecond}::float8)`;
	const taken = rowsOf(
		await db.execute(sql`
			insert into request_budget as b (address, tokens, refilled_at)
			values (${address}, ${burst - tokens}::float8, clock_timestamp())
			on conflict (address) do update
				set tokens = ${refilled} - ${tokens}::float8, refilled_at = clock_timestamp()
				where ${refilled} >= ${tokens}::float8
			returning 1`)
	);
	if (taken.length) return { granted: true };
	const [left] = rowsOf<{ available: number }>(
		await db.execute(
			sql`select ${refilled} as available from request_budget b where b.address = ${address}`
		)
	);
	const missing = tokens - Number(left?.available ?? 0);
	return { granted: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / perSecond)) };
}

/** Buckets untouched for longer than a full refill are the same as no bucket: dropped. */
export async function forgetIdleBuckets(db: Database, settings: BudgetSettings): Promise<void> {
	const seconds = Math.ceil(settings.burst / settings.perSecond) + 60;
	await db.execute(
		sql`delete from request_budget where refilled_at < clock_timestamp() - make_interval(secs => ${seconds})`
	);
}

export type Spend = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** One instance's leases on the shared buckets. */
export class RequestBudget {
	#leases = new Map<string, { tokens: number; until: number; size: number }>();
	#takes = 0;

	constructor(
		readonly settings: BudgetSettings,
		private readonly take: (address: string, tokens: number) => Promise<Take>,
		private readonly sweep: () => Promise<void> = async () => {}
	) {}

	/** Spends `cost` of an address's budget, taking a new lease from the shared bucket when needed. */
	async spend(address: string, cost: number, now = Date.now()): Promise<Spend> {
		const lease = this.#leases.get(address);
		const held = lease && lease.until > now ? lease.tokens : 0;
		if (lease && held >= cost) {
			lease.tokens -= cost;
			return { allowed: true };
		}
		const need = cost - held;
		const largest = Math.max(
			LEASE_TOKENS,
			Math.min(MAX_LEASE_TOKENS, Math.floor(this.settings.burst / 10))
		);
		const size = lease && lease.until > now ? Math.min(lease.size * 2, largest) : LEASE_TOKENS;
		const want = Math.max(need, size);
		let taken = want;
		let got = await this.take(address, want);
		if (!got.granted && want > need) {
			taken = need;
			got = await this.take(address, need);
		}
		if (!got.granted) return { allowed: false, retryAfterSeconds: got.retryAfterSeconds };
		this.#leases.set(address, { tokens: held + taken - cost, until: now + LEASE_MS, size });
		if (++this.#takes % 1000 === 0) await this.#forgetExpired(now);
		return { allowed: true };
	}

	async #forgetExpired(now: number) {
		for (const [address, lease] of this.#leases)
			if (lease.until <= now) this.#leases.delete(address);
		await this.sweep();
	}
}

/**
 * The answer to a request over budget, in the form its sender reads: JSON for SvelteKit's form
 * actions and data requests (shown as the page's error), a small page otherwise.
 */
export function overBudgetResponse(
	request: Request,
	isDataRequest: boolean,
	retryAfterSeconds: number
): Response {
	const message = `Too many requests from your address. Wait ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'} and try again.`;
	const headers = {
		'Retry-After': String(retryAfterSeconds),
		'Cache-Control': 'no-store'
	};
	if (isDataRequest || request.headers.get('x-sveltekit-action') === 'true') {
		const body = isDataRequest ? { message } : { type: 'error', error: { message } };
		return Response.json(body, { status: 429, headers });
	}
	const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many requests · Rampart</title></head>
<body><main><h1>Too many requests</h1><p>${message}</p><p><a href="/">Back to Rampart</a></p></main></body></html>`;
	return new Response(html, {
		status: 429,
		headers: {
			...headers,
			'Content-Type': 'text/html; charset=utf-8',
			'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'"
		}
	});
}

const budgets = new WeakMap<Database, RequestBudget>();

/** This instance's budget on a database's shared buckets, with the settings from the environment. */
export function requestBudgetFor(db: Database, env = process.env): RequestBudget {
	let budget = budgets.get(db);
	if (!budget) {
		const settings = budgetSettings(env);
		budget = new RequestBudget(
			settings,
			(address, tokens) => takeTokens(db, settings, address, tokens),
			() => forgetIdleBuckets(db, settings)
		);
		budgets.set(db, budget);
	}
	return budget;
}

/**
 * Spends the request's cost from its address's budget before anything else runs (sessions,
 * pages, password hashes); over budget, it answers 429 with Retry-After. When the database
 * cannot count (down, or its disk full) requests go through: nothing that hashes a password can
 * work then either, and reads should.
 */
export const handleRequestBudget: Handle = async ({ event, resolve }) => {
	// A scrape that may read /metrics is free like /readyz; a refused one (a token guessed) is not.
	const cost =
		event.route.id === '/metrics' &&
		metricsAccess(event.request.headers, event.locals.ip, metricsToken(process.env)).allowed
			? 0
			: requestCost(event.request.method, event.route.id);
	if (cost === 0) return resolve(event);
	let spent: Spend;
	try {
		spent = await requestBudgetFor(event.locals.db).spend(event.locals.ip, cost);
	} catch (e) {
		if (isDatabaseUnavailable(e) || isStorageFull(e)) return resolve(event);
		throw e;
	}
	if (!spent.allowed)
		return overBudgetResponse(event.request, event.isDataRequest, spent.retryAfterSeconds);
	return resolve(event);
};
