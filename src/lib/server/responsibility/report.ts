import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { qualified } from '$lib/server/db/qualified';
import type { Model } from '$lib/server/model/types';
import { onDuty } from './rota';
import { responsibilityFigures } from './figures';

/** The organisation's spread of responsibility, silos, gaps, and teams without a champion or a rota. */
export async function responsibilityReport(db: Database, model: Model) {
	const teamId = qualified(table.team.id);
	const [teams, rows] = await Promise.all([
		db
			.select({
				id: table.team.id,
				name: table.team.name,
				slug: table.team.slug,
				// A deactivated person is nobody's champion (as on the team page and the training report).
				hasChampion: sql<boolean>`exists (select 1 from ${table.teamMember} join ${table.user} on ${table.user.id} = ${table.teamMember.userId} and ${table.user.active} where ${table.teamMember.teamId} = ${teamId} and ${table.teamMember.champion})`,
				hasRota: sql<boolean>`exists (select 1 from ${table.rotaMember} where ${table.rotaMember.teamId} = ${teamId})`
			})
			.from(table.team)
			.where(eq(table.team.active, true))
			.orderBy(table.team.name),
		db
			.select({
				practiceId: table.responsibility.practiceId,
				party: table.responsibility.party,
				teams: sql<number>`count(*)::int`
			})
			.from(table.responsibility)
			.innerJoin(
				table.team,
				and(eq(table.team.id, table.responsibility.teamId), eq(table.team.active, true))
			)
			.groupBy(table.responsibility.practiceId, table.responsibility.party)
	]);
	const figures = responsibilityFigures(
		model.practices.map((p) => p.id),
		rows,
		teams.length
	).map((f) => ({
		...f,
		name: model.practiceById.get(f.practiceId)!.name
	}));
	return {
		teamCount: teams.length,
		practices: figures,
		silos: figures.filter((f) => f.silo),
		gaps: figures.filter((f) => f.gap),
		withoutChampion: teams.filter((t) => !t.hasChampion).map(({ name, slug }) => ({ name, slug })),
		withoutRota: teams.filter((t) => !t.hasRota).map(({ name, slug }) => ({ name, slug }))
	};
}

/** Who is on duty now and next in each team that has a rota (for the dashboard and team pages). */
export async function onDutyByTeam(
	db: Database,
	teamIds: readonly string[],
	today = new Date().toISOString().slice(0, 10)
) {
	if (!teamIds.length) return new Map<string, ReturnType<typeof onDuty>>();
	// One statement: each rota with its members in turn order and its swaps.
	const rotaTeam = qualified(table.rota.teamId);
	const m = table.rotaMember;
	const s = table.rotaSwap;
	const rotas = await db
		.select({
			teamId: table.rota.teamId,
			startsOn: table.rota.startsOn,
			rotationWeeks: table.rota.rotationWeeks,
			members: sql<
				string[]
			>`coalesce((select array_agg(${m.userId}::text order by ${m.position}) from ${m} where ${m.teamId} = ${rotaTeam}), '{}')`,
			swaps: sql<
				[string, string][]
			>`coalesce((select json_agg(json_build_array(${s.turnStart}, ${s.userId})) from ${s} where ${s.teamId} = ${rotaTeam}), '[]')`
		})
		.from(table.rota)
		.where(inArray(table.rota.teamId, [...teamIds]));
	return new Map(
		rotas.map((r) => [
			r.teamId,
			onDuty(
				{
					startsOn: r.startsOn,
					rotationWeeks: r.rotationWeeks,
					members: r.members,
					swaps: new Map(r.swaps)
				},
				today
			)
		])
	);
}

/** Like onDutyByTeam, with people's names, for the dashboard. */
export async function onDutyNames(db: Database, teamIds: readonly string[], today?: string) {
	const duty = await onDutyByTeam(db, teamIds, today);
	const ids = [
		...new Set(
			[...duty.values()]
				.flatMap((d) => [d.now?.userId, d.next?.userId])
				.filter((x) => x !== undefined)
		)
	];
	const people = ids.length
		? await db
				.select({ id: table.user.id, name: table.user.name })
				.from(table.user)
				.where(inArray(table.user.id, ids))
		: [];
	const name = new Map(people.map((p) => [p.id, p.name]));
	return new Map(
		[...duty].map(([teamId, d]) => [
			teamId,
			{
				now: d.now ? (name.get(d.now.userId) ?? null) : null,
				until: d.now?.end ?? null,
				next: d.next ? (name.get(d.next.userId) ?? null) : null,
				from: d.next?.start ?? null
			}
		])
	);
}
