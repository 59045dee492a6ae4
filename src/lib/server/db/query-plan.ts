// What PostgreSQL's EXPLAIN (format json) says a statement reads: for the tests that check every
// table and column a kept or cached value reads has a trigger (revision-coverage.test.ts,
// teams/team-cache.test.ts). Pure functions over the plan; nothing here runs a query.

/**
 * The columns of each table the plan uses (EXPLAIN VERBOSE): every `alias.column` in the plan's
 * expressions, except a scan's own output list, which can be the whole stored row. `alias.*` (a
 * whole row) counts as `*`.
 */
export function columnsOf(plan: unknown): Map<string, Set<string>> {
	const relationOf = new Map<string, string>();
	const texts: string[] = [];
	const walk = (node: unknown) => {
		if (Array.isArray(node)) return node.forEach(walk);
		if (!node || typeof node !== 'object') return;
		const fields = node as Record<string, unknown>;
		const relation = fields['Relation Name'];
		const alias = fields['Alias'];
		const scan = typeof relation === 'string' && typeof alias === 'string';
		if (scan) relationOf.set(alias, relation);
		for (const [k, v] of Object.entries(fields)) {
			if (scan && k === 'Output') continue;
			if (typeof v === 'string') texts.push(v);
			else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) texts.push(...v);
			else walk(v);
		}
	};
	walk(plan);
	const into = new Map<string, Set<string>>();
	for (const m of texts.join(' ').matchAll(/(?<![\w."])"?(\w+)"?\.("?\w+"?|\*)/g)) {
		const relation = relationOf.get(m[1]!);
		if (!relation) continue;
		if (!into.has(relation)) into.set(relation, new Set());
		into.get(relation)!.add(m[2]!.replaceAll('"', ''));
	}
	return into;
}

/** The tables a plan reads (recursively through subplans, CTEs and joins). */
export function relationsOf(plan: unknown, into = new Set<string>()): Set<string> {
	if (Array.isArray(plan)) for (const p of plan) relationsOf(p, into);
	else if (plan && typeof plan === 'object') {
		for (const [k, v] of Object.entries(plan)) {
			if (k === 'Relation Name' && typeof v === 'string') into.add(v);
			else relationsOf(v, into);
		}
	}
	return into;
}
