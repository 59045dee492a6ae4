import { types, type PGlite, type Transaction } from '@electric-sql/pglite';

/**
 * The type parsers drizzle hands PGlite with every query: dates, times and intervals (and their
 * arrays) stay strings, drizzle's columns turn them into values. Kept equal to drizzle-orm's
 * pglite session (checked by pglite-parsers.test.ts).
 */
const keepAsText = (value: string) => value;
export const drizzleParsers: Record<number, (value: string) => unknown> = {
	[types.TIMESTAMP]: keepAsText,
	[types.TIMESTAMPTZ]: keepAsText,
	[types.INTERVAL]: keepAsText,
	[types.DATE]: keepAsText,
	1231: keepAsText, // numeric[]
	1115: keepAsText, // timestamp[]
	1185: keepAsText, // timestamptz[]
	1187: keepAsText, // interval[]
	1182: keepAsText // date[]
};

type Client = PGlite | Transaction;

/**
 * PGlite copies its whole parser table (~350 entries) for every query that brings parsers of
 * its own, and drizzle brings them with every query: ~0.1 ms each, 2 ms of a team page's 20.
 * Installed once on the client, they need not travel: queries go through with the same rows.
 */
export function withDrizzleParsers(client: PGlite): PGlite {
	Object.assign(client.parsers, drizzleParsers);
	return withoutPerQueryParsers(client);
}

function withoutPerQueryParsers<C extends Client>(client: C): C {
	// A replacement assigned to `query` (a test counting queries) sits in front of this one.
	let query: Client['query'] = (text, params, options) =>
		client.query(text, params, options?.parsers ? { ...options, parsers: undefined } : options);
	return new Proxy(client, {
		get(target, property) {
			if (property === 'query') return query;
			if (property === 'transaction' && 'transaction' in target) {
				return <T>(callback: (tx: Transaction) => Promise<T>) =>
					target.transaction((tx) => callback(withoutPerQueryParsers(tx)));
			}
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
		set(target, property, value) {
			if (property === 'query') query = value as Client['query'];
			else Reflect.set(target, property, value, target);
			return true;
		}
	});
}
