import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { overdueAssignments, today } from './assignments';
import { trackProgress } from './completion';
import { getTraining } from './load-training';
import { progressByUser, type ProgressLookup } from './progress';
import { CHAMPION_TRACK_ID, type Training } from './types';

/** Active members of active teams (all teams, or one), with their champion flag. */
function teamMembers(db: Tx, teamId?: string) {
	return db
		.select({
			teamId: table.team.id,
			userId: table.user.id,
			name: table.user.name,
			email: table.user.email,
			champion: table.teamMember.champion
		})
		.from(table.teamMember)
		.innerJoin(table.team, eq(table.team.id, table.teamMember.teamId))
		.innerJoin(table.user, eq(table.user.id, table.teamMember.userId))
		.where(
			and(
				eq(table.team.active, true),
				eq(table.user.active, true),
				teamId ? eq(table.team.id, teamId) : undefined
			)
		)
		.orderBy(asc(table.user.name));
}

/**
 * Each champion of a team with their progress in the security champion track, for the team
 * page: modules done, whether the track is complete, and the module to take next.
 */
export async function championProgress(
	db: Tx,
	teamId: string,
	training = getTraining(),
	/** The team's active champions when the caller has read them already. */
	known?: readonly { userId: string; name: string }[]
) {
	const champions = known ?? (await teamMembers(db, teamId)).filter((m) => m.champion);
	const progress = await progressByUser(
		db,
		training,
		champions.map((c) => c.userId)
	);
	return championsProgressOf(training, champions, progress);
}

/** championProgress from progress already read (the team page reads it with the rest of the page). */
export function championsProgressOf(
	training: Training,
	champions: readonly { userId: string; name: string }[],
	progress: ProgressLookup
) {
	const track = training.trackById.get(CHAMPION_TRACK_ID)!;
	return champions.map((c) => {
		const p = trackProgress(track, progress.of(c.userId));
		const next = p.nextModuleId ? training.moduleById.get(p.nextModuleId)! : null;
		return {
			userId: c.userId,
			name: c.name,
			trackTitle: track.title,
			modulesDone: p.modulesDone,
			modulesTotal: p.modulesTotal,
			complete: p.complete,
			nextModule: next ? { id: next.id, title: next.title } : null
		};
	});
}

export type ChampionProgress = Awaited<ReturnType<typeof championProgress>>[number];

const share = (part: number, whole: number) => (whole ? part / whole : 0);

/**
 * The organisation's training figures for the security team and leadership: completion per
 * team, module and track; champions who have not finished the champion track; overdue
 * assignments. A fixed number of queries, whatever the size of the organisation.
 */
export async function trainingReport(db: Tx, training: Training, on = today()) {
	const [teams, members, progress, overdue] = await Promise.all([
		db
			.select({ id: table.team.id, slug: table.team.slug, name: table.team.name })
			.from(table.team)
			.where(eq(table.team.active, true))
			.orderBy(asc(table.team.name)),
		teamMembers(db),
		progressByUser(db, training),
		overdueAssignments(db, training, on)
	]);
	const champion = training.trackById.get(CHAMPION_TRACK_ID)!;
	const championDone = (userId: string) => trackProgress(champion, progress.of(userId)).complete;
	const moduleCount = training.modules.length;
	const group = <T>(rows: T[], key: (row: T) => string) => {
		const map = new Map<string, T[]>();
		for (const row of rows) {
			const list = map.get(key(row));
			if (list) list.push(row);
			else map.set(key(row), [row]);
		}
		return map;
	};
	const membersOf = group(members, (m) => m.teamId);
	const overdueOf = group(overdue, (a) => a.teamSlug);

	const teamRows = teams.map((t) => {
		const people = membersOf.get(t.id) ?? [];
		const champions = people.filter((m) => m.champion);
		const modulesDone = people.reduce(
			(n, m) => n + [...progress.of(m.userId).values()].filter((p) => p.complete).length,
			0
		);
		return {
			slug: t.slug,
			name: t.name,
			members: people.length,
			learners: people.filter((m) => [...progress.of(m.userId).values()].some((p) => p.started))
				.length,
			modulesDone,
			completion: share(modulesDone, people.length * moduleCount),
			champions: champions.length,
			championsCertified: champions.filter((c) => championDone(c.userId)).length,
			overdue: overdueOf.get(t.slug)?.length ?? 0
		};
	});

	const moduleRows = training.modules.map((m) => {
		const records = progress.learners.map((u) => progress.of(u).get(m.id)!);
		const attempted = records.filter((p) => p.attempts > 0);
		return {
			id: m.id,
			title: m.title,
			learners: records.filter((p) => p.started).length,
			completed: records.filter((p) => p.complete).length,
			attempts: attempted.reduce((n, p) => n + p.attempts, 0),
			passRate: share(attempted.filter((p) => p.passed).length, attempted.length),
			averageBestScore: share(
				attempted.reduce((n, p) => n + (p.bestScore ?? 0), 0),
				attempted.length
			)
		};
	});

	const trackRows = training.tracks.map((t) => {
		const states = progress.learners.map((u) => trackProgress(t, progress.of(u)));
		return {
			id: t.id,
			title: t.title,
			modules: t.modules.length,
			learners: states.filter((s) => s.started).length,
			completed: states.filter((s) => s.complete).length
		};
	});

	const teamName = new Map(teams.map((t) => [t.id, t]));
	const championsBehind = members
		.filter((m) => m.champion && !championDone(m.userId))
		.map((m) => {
			const p = trackProgress(champion, progress.of(m.userId));
			return {
				name: m.name,
				email: m.email,
				teamName: teamName.get(m.teamId)!.name,
				teamSlug: teamName.get(m.teamId)!.slug,
				modulesDone: p.modulesDone,
				modulesTotal: p.modulesTotal
			};
		})
		.sort((a, b) => a.teamName.localeCompare(b.teamName) || a.name.localeCompare(b.name));

	const overdueRows = overdue.map((a) => ({
		teamName: a.teamName,
		teamSlug: a.teamSlug,
		name: a.name,
		email: a.email,
		moduleId: a.moduleId,
		moduleTitle: a.moduleTitle,
		dueOn: a.dueOn,
		daysOverdue: Math.round((Date.parse(on) - Date.parse(a.dueOn)) / 86_400_000)
	}));

	return {
		on,
		championTrack: { id: champion.id, title: champion.title },
		teams: teamRows,
		modules: moduleRows,
		tracks: trackRows,
		championsBehind,
		overdue: overdueRows
	};
}

export type TrainingReport = Awaited<ReturnType<typeof trainingReport>>;

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** The report's tables as CSV rows (a header, then one row per line of the table). */
export const reportTables = {
	teams: (r: TrainingReport) => [
		[
			'team',
			'members',
			'learners',
			'modules completed',
			'completion',
			'champions',
			`champions who finished "${r.championTrack.title}"`,
			'overdue assignments'
		],
		...r.teams.map((t) => [
			t.name,
			t.members,
			t.learners,
			t.modulesDone,
			percent(t.completion),
			t.champions,
			t.championsCertified,
			t.overdue
		])
	],
	modules: (r: TrainingReport) => [
		[
			'module',
			'title',
			'learners',
			'completed',
			'quiz attempts',
			'pass rate',
			'average best score'
		],
		...r.modules.map((m) => [
			m.id,
			m.title,
			m.learners,
			m.completed,
			m.attempts,
			percent(m.passRate),
			percent(m.averageBestScore)
		])
	],
	tracks: (r: TrainingReport) => [
		['track', 'title', 'modules', 'learners', 'completed'],
		...r.tracks.map((t) => [t.id, t.title, t.modules, t.learners, t.completed])
	],
	champions: (r: TrainingReport) => [
		['team', 'champion', 'email', 'modules done', 'modules in track'],
		...r.championsBehind.map((c) => [c.teamName, c.name, c.email, c.modulesDone, c.modulesTotal])
	],
	overdue: (r: TrainingReport) => [
		['team', 'person', 'email', 'module', 'due on', 'days overdue'],
		...r.overdue.map((a) => [a.teamName, a.name, a.email, a.moduleTitle, a.dueOn, a.daysOverdue])
	]
} satisfies Record<string, (r: TrainingReport) => unknown[][]>;

export type ReportTable = keyof typeof reportTables;
