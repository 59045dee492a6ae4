import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Model } from '$lib/server/model/types';
import { teamInScope, type Scope } from '$lib/server/dashboard/scope';
import { csvField } from './csv';

const PAGE = 250;
const parentUnit = alias(table.orgUnit, 'parent_unit');

export const practiceColumns = [
	'cycle',
	'department',
	'unit',
	'team',
	'team_slug',
	'phase',
	'practice_id',
	'practice',
	'score',
	'achieved_level',
	'target',
	'not_applicable',
	'responsible_party'
] as const;
export const toolColumns = [
	'cycle',
	'department',
	'unit',
	'team',
	'team_slug',
	'category',
	'tool_id',
	'tool',
	'state'
] as const;

type Cycle = { id: string; name: string; status: 'open' | 'closed' };
type Row = Record<string, unknown>;

/** Teams in scope, a page at a time (keyset on slug), so an export never holds the organisation in memory. */
async function* teamPages(db: Database, scope: Scope) {
	let after = '';
	for (;;) {
		const page = await db
			.select({
				id: table.team.id,
				name: table.team.name,
				slug: table.team.slug,
				unit: table.orgUnit.name,
				department: parentUnit.name
			})
			.from(table.team)
			.leftJoin(table.orgUnit, eq(table.orgUnit.id, table.team.orgUnitId))
			.leftJoin(parentUnit, eq(parentUnit.id, table.orgUnit.parentId))
			.where(and(teamInScope(scope), gt(table.team.slug, after)))
			.orderBy(asc(table.team.slug))
			.limit(PAGE);
		if (!page.length) return;
		yield page;
		after = page.at(-1)!.slug;
	}
}

/** One row per team × practice × cycle: score, achieved level, target and responsible party. */
export async function* practiceRows(
	db: Database,
	model: Model,
	scope: Scope,
	cycles: Cycle[]
): AsyncGenerator<Row> {
	for await (const teams of teamPages(db, scope)) {
		const ids = teams.map((t) => t.id);
		const [results, parties] = await Promise.all([
			db
				.select({
					teamId: table.assessment.teamId,
					cycleId: table.assessment.cycleId,
					practiceId: table.assessmentPractice.practiceId,
					score: table.assessmentPractice.score,
					achievedLevel: table.assessmentPractice.achievedLevel,
					target: table.assessmentPractice.target,
					notApplicable: table.assessmentPractice.notApplicable
				})
				.from(table.assessmentPractice)
				.innerJoin(table.assessment, eq(table.assessment.id, table.assessmentPractice.assessmentId))
				.where(
					and(
						inArray(table.assessment.teamId, ids),
						inArray(
							table.assessment.cycleId,
							cycles.map((c) => c.id)
						)
					)
				),
			db
				.select({
					teamId: table.responsibility.teamId,
					practiceId: table.responsibility.practiceId,
					party: table.responsibility.party
				})
				.from(table.responsibility)
				.where(inArray(table.responsibility.teamId, ids))
		]);
		const result = new Map(results.map((r) => [`${r.teamId}|${r.cycleId}|${r.practiceId}`, r]));
		const party = new Map(parties.map((p) => [`${p.teamId}|${p.practiceId}`, p.party]));
		for (const cycle of cycles) {
			for (const t of teams) {
				for (const p of model.practices) {
					const r = result.get(`${t.id}|${cycle.id}|${p.id}`);
					if (!r) continue;
					yield {
						cycle: cycle.name,
						department: t.department,
						unit: t.unit,
						team: t.name,
						team_slug: t.slug,
						phase: p.phase,
						practice_id: p.id,
						practice: p.name,
						score: r.score,
						achieved_level: r.achievedLevel,
						target: r.target,
						not_applicable: r.notApplicable,
						responsible_party: party.get(`${t.id}|${p.id}`) ?? null
					};
				}
			}
		}
	}
}

/** One row per team × tool in use or considered: the snapshot of a closed cycle, live adoption for an open one. */
export async function* toolRows(db: Database, scope: Scope, cycles: Cycle[]): AsyncGenerator<Row> {
	const tools = await db
		.select({ id: table.tool.id, name: table.tool.name, category: table.toolCategory.name })
		.from(table.tool)
		.innerJoin(table.toolCategory, eq(table.toolCategory.id, table.tool.categoryId));
	const tool = new Map(tools.map((t) => [t.id, t]));
	for await (const teams of teamPages(db, scope)) {
		const ids = teams.map((t) => t.id);
		for (const cycle of cycles) {
			const rows =
				cycle.status === 'closed'
					? await db
							.select({
								teamId: table.adoptionSnapshot.teamId,
								toolId: table.adoptionSnapshot.toolId,
								state: table.adoptionSnapshot.state
							})
							.from(table.adoptionSnapshot)
							.where(
								and(
									eq(table.adoptionSnapshot.cycleId, cycle.id),
									inArray(table.adoptionSnapshot.teamId, ids)
								)
							)
					: await db
							.select({
								teamId: table.toolAdoption.teamId,
								toolId: table.toolAdoption.toolId,
								state: table.toolAdoption.state
							})
							.from(table.toolAdoption)
							.where(
								and(
									inArray(table.toolAdoption.teamId, ids),
									sql`${table.toolAdoption.state} <> 'not_used'`
								)
							);
			const byTeam = new Map<string, typeof rows>();
			for (const r of rows) byTeam.set(r.teamId, [...(byTeam.get(r.teamId) ?? []), r]);
			for (const t of teams) {
				for (const r of (byTeam.get(t.id) ?? []).sort((a, b) => a.toolId.localeCompare(b.toolId))) {
					const info = tool.get(r.toolId);
					yield {
						cycle: cycle.name,
						department: t.department,
						unit: t.unit,
						team: t.name,
						team_slug: t.slug,
						category: info?.category ?? '',
						tool_id: r.toolId,
						tool: info?.name ?? r.toolId,
						state: r.state
					};
				}
			}
		}
	}
}

const encoder = new TextEncoder();

/** Streams rows as CSV (header first), pulling from the generator only as fast as the client reads. */
export function csvStream(
	columns: readonly string[],
	rows: AsyncGenerator<Row>
): ReadableStream<Uint8Array> {
	let header = false;
	return new ReadableStream({
		async pull(controller) {
			if (!header) {
				header = true;
				controller.enqueue(encoder.encode(columns.map(csvField).join(',') + '\r\n'));
				return;
			}
			let chunk = '';
			for (let i = 0; i < 500; i++) {
				const next = await rows.next();
				if (next.done) {
					if (chunk) controller.enqueue(encoder.encode(chunk));
					controller.close();
					return;
				}
				chunk += columns.map((c) => csvField(next.value[c])).join(',') + '\r\n';
			}
			controller.enqueue(encoder.encode(chunk));
		},
		async cancel() {
			await rows.return(undefined);
		}
	});
}

/** Streams `{"cycle": …, "practices": [...], "tools": [...]}` without building it in memory (`head` must have a key). */
export function jsonStream(
	head: Record<string, unknown>,
	parts: [string, AsyncGenerator<Row>][]
): ReadableStream<Uint8Array> {
	async function* chunks() {
		yield JSON.stringify(head).slice(0, -1);
		for (const [name, rows] of parts) {
			yield `,${JSON.stringify(name)}:[`;
			let first = true;
			for await (const row of rows) {
				yield (first ? '' : ',') + JSON.stringify(row);
				first = false;
			}
			yield ']';
		}
		yield '}';
	}
	const it = chunks();
	return new ReadableStream({
		async pull(controller) {
			let buffer = '';
			while (buffer.length < 64 * 1024) {
				const next = await it.next();
				if (next.done) {
					if (buffer) controller.enqueue(encoder.encode(buffer));
					controller.close();
					return;
				}
				buffer += next.value;
			}
			controller.enqueue(encoder.encode(buffer));
		},
		async cancel() {
			await it.return(undefined);
		}
	});
}
