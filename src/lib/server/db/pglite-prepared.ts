import {
	messages,
	parse,
	protocol,
	type PGlite,
	type QueryOptions,
	type Results,
	type Transaction
} from '@electric-sql/pglite';

/**
 * PGlite's `query` parses, analyses and plans every statement again (drizzle's driver never
 * names one) and crosses into the database six times to do it. Here each distinct statement
 * text is prepared once under a name, and each later run is one crossing: bind, execute, sync.
 * PostgreSQL (postgres-js) prepares statements itself; this is for the embedded database.
 *
 * Only plain reads and writes are prepared; anything else (BEGIN, SAVEPOINT, DDL during the
 * migrations) goes through PGlite's own `query`. The cache is bounded: the statement it drops
 * is closed (protocol Close, the DEALLOCATE of the extended protocol) with the next message.
 */

const { serialize } = protocol;

/** Names are unique in the process: two instances on one database never collide. */
let lastName = 0;

/** Statements kept prepared at once; each holds its plan in the database's memory. */
export const PREPARED_STATEMENT_LIMIT = 200;

const preparable = /^\s*(?:select|with|insert|update|delete)\b/i;
const SYNC = serialize.sync();
const EXECUTE = serialize.execute({});

interface Prepared {
	name: string;
	paramTypes: number[];
	/** What the statement returns (absent when it returns no rows). */
	rowDescription: messages.BackendMessage | undefined;
}

type Query = PGlite['query'];

/** The prepared statements of one PGlite instance. */
export class PreparedStatements {
	readonly #pg: PGlite;
	readonly #limit: number;
	/** In least-recently-used order: a hit moves its entry to the end. */
	readonly #byText = new Map<string, Prepared>();
	/** Names dropped from the cache, closed before the next statement runs. */
	#toClose: string[] = [];
	/** For tests: statements prepared and runs of prepared statements so far. */
	readonly stats = { prepared: 0, executed: 0, closed: 0 };

	constructor(pg: PGlite, limit = PREPARED_STATEMENT_LIMIT) {
		this.#pg = pg;
		this.#limit = limit;
	}

	/** How many statements are prepared now. */
	get size(): number {
		return this.#byText.size;
	}

	/** Whether `text` is run as a prepared statement (else through PGlite's own `query`). */
	handles(text: string, options: QueryOptions | undefined): boolean {
		return (
			preparable.test(text) &&
			!options?.blob &&
			!options?.paramTypes &&
			!options?.serializers &&
			!options?.onNotice
		);
	}

	/**
	 * Runs a statement under the locks PGlite's own `query` takes: outside a transaction it waits
	 * for any open transaction to end, inside one only for the statement before it.
	 */
	run<T>(
		text: string,
		params: unknown[] | undefined,
		options: QueryOptions | undefined,
		inTransaction: boolean
	): Promise<Results<T>> {
		const pg = this.#pg;
		const once = () => this.#runLocked<T>(text, params ?? [], options);
		return inTransaction
			? pg._runExclusiveQuery(once)
			: pg._runExclusiveTransaction(() =>
					pg._runExclusiveQuery(async () => {
						const result = await once();
						await pg.syncToFs();
						return result;
					})
				);
	}

	/**
	 * Whether an error says the statement's prepared form is no longer usable (dropped, or its
	 * result type changed under it by a schema change); if so it is forgotten, and the caller may
	 * run the statement the ordinary way outside a transaction.
	 */
	forgetIfStale(text: string, error: unknown): boolean {
		const code = error instanceof messages.DatabaseError ? error.code : undefined;
		const stale =
			code === '26000' || (code === '0A000' && /cached plan/.test((error as Error).message));
		const prepared = stale ? this.#byText.get(text) : undefined;
		if (!prepared) return false;
		this.#byText.delete(text);
		this.#toClose.push(prepared.name);
		return true;
	}

	async #runLocked<T>(text: string, params: unknown[], options?: QueryOptions) {
		let prepared = this.#byText.get(text);
		if (prepared) {
			this.#byText.delete(text);
			this.#byText.set(text, prepared);
		} else {
			prepared = await this.#prepare(text, params, options);
		}
		const pg = this.#pg;
		const values = params.map((value, i) => {
			if (value === null || value === undefined) return null;
			const serializer = pg.serializers[prepared.paramTypes[i]!];
			return serializer ? serializer(value) : String(value);
		});
		const replies = await this.#exchange(
			[serialize.bind({ statement: prepared.name, values }), EXECUTE, SYNC],
			text,
			params,
			options
		);
		this.stats.executed++;
		const described = prepared.rowDescription ? [prepared.rowDescription, ...replies] : replies;
		return parse.parseResults(described, pg.parsers, {
			rowMode: options?.rowMode
		})[0] as Results<T>;
	}

	async #prepare(text: string, params: unknown[], options?: QueryOptions): Promise<Prepared> {
		const name = `rampart_${++lastName}`;
		const replies = await this.#exchange(
			[serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), SYNC],
			text,
			params,
			options
		);
		const prepared: Prepared = {
			name,
			paramTypes: parse.parseDescribeStatementResults(replies),
			rowDescription: replies.find((m) => m.name === 'rowDescription')
		};
		this.stats.prepared++;
		this.#byText.set(text, prepared);
		if (this.#byText.size > this.#limit) {
			const [oldest] = this.#byText;
			this.#byText.delete(oldest![0]);
			this.#toClose.push(oldest![1].name);
		}
		return prepared;
	}

	/**
	 * Sends messages in one crossing (statements to close first) and returns the replies; a
	 * database error is thrown as PGlite's `query` throws it, with the query attached.
	 */
	async #exchange(
		parts: Uint8Array[],
		text: string,
		params: unknown[],
		options?: QueryOptions
	): Promise<messages.BackendMessage[]> {
		const closing = this.#toClose;
		if (closing.length) {
			this.#toClose = [];
			parts = [...closing.map((name) => serialize.close({ type: 'S', name })), ...parts];
			this.stats.closed += closing.length;
		}
		try {
			return await this.#pg.execProtocolStream(concat(parts), { syncToFs: false });
		} catch (e) {
			if (e instanceof messages.DatabaseError) {
				Object.assign(e, { query: text, params, queryOptions: options });
			}
			throw e;
		}
	}
}

function concat(parts: Uint8Array[]): Uint8Array {
	let length = 0;
	for (const part of parts) length += part.length;
	const out = new Uint8Array(length);
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

type Client = PGlite | Transaction;

/**
 * The client drizzle is given: `query` (on the client and inside its transactions) runs plain
 * reads and writes as prepared statements, everything else as before.
 */
export function withPreparedStatements(client: PGlite, raw: PGlite = client): PGlite {
	return wrap(client, new PreparedStatements(raw), false);
}

function wrap<C extends Client>(client: C, statements: PreparedStatements, inTx: boolean): C {
	// A replacement assigned to `query` (a test counting queries) sits in front of this one.
	let query: Query = <T>(text: string, params?: unknown[], options?: QueryOptions) => {
		if (!statements.handles(text, options)) return client.query<T>(text, params, options);
		if (inTx && (client as Transaction).closed)
			return Promise.reject(new Error('Transaction is closed'));
		return statements.run<T>(text, params, options, inTx).catch((e: unknown) => {
			// Inside a transaction the error has already aborted it: nothing can be retried.
			if (!statements.forgetIfStale(text, e) || inTx) throw e;
			return client.query<T>(text, params, options);
		});
	};
	return new Proxy(client, {
		get(target, property) {
			if (property === 'query') return query;
			if (property === 'preparedStatements') return statements;
			if (property === 'transaction' && 'transaction' in target) {
				return <T>(callback: (tx: Transaction) => Promise<T>) =>
					target.transaction((tx) => callback(wrap(tx, statements, true)));
			}
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
		set(target, property, value) {
			if (property === 'query') query = value as Query;
			else Reflect.set(target, property, value, target);
			return true;
		}
	});
}
