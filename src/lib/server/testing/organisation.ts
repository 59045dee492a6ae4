import { eq } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type {
	AdoptionState,
	AssessmentStatus,
	ResponsibleParty,
	TeamRole
} from '$lib/server/db/schema';
import { openCycle } from '$lib/server/assessments/cycles';
import type { Model } from '$lib/server/model/types';
import { setResponsibility } from '$lib/server/responsibility/responsibility';
import { saveRota } from '$lib/server/responsibility/rota-store';
import { addTeamMember } from '$lib/server/teams/members';
import { createOrgUnit } from '$lib/server/teams/org-units';
import { createTeam, setTeamActive } from '$lib/server/teams/teams';
import { getCatalogue } from '$lib/server/tools/catalogue';
import { setAdoption } from '$lib/server/tools/adoption';
import { syncCatalogue } from '$lib/server/tools/sync';
import { setUserActive } from '$lib/server/users/accounts';

/*
 * A small organisation for tests of the figures pages show, built through the domain
 * functions. Every figure has rows that must NOT be counted: archived teams (one with members,
 * a champion, a rota, responsibility, tools and an assessment in the older cycle, one with
 * none of them, so it would show up among teams without), an inactive user, a team without an org unit, an empty department, a second cycle, and assessments in
 * every status. Tests compute what they expect from the facts returned, never from the query
 * under test.
 */

const users = ['Admin', 'Ann', 'Bo', 'Cy', 'Dee', 'Eve', 'Fay', 'Gus'] as const;
export type PersonName = (typeof users)[number];

const units = [
	{ name: 'Engineering', parent: null },
	{ name: 'Payments', parent: 'Engineering' },
	{ name: 'Platform', parent: 'Engineering' },
	{ name: 'Sales', parent: null }
] as const;

/** Teams in the order they are created; the archived ones are archived once the first cycle is open. */
const teams = [
	{ slug: 'alpha', name: 'Alpha', unit: 'Payments' },
	{ slug: 'beta', name: 'Beta', unit: 'Payments' },
	{ slug: 'gamma', name: 'Gamma', unit: 'Platform' },
	{ slug: 'delta', name: 'Delta', unit: null },
	{ slug: 'legacy', name: 'Legacy', unit: 'Platform' },
	{ slug: 'sunset', name: 'Sunset', unit: 'Payments' }
] as const;
export type TeamSlug = (typeof teams)[number]['slug'];
/** Legacy has a champion, a rota, tools and responsibility; Sunset has none of them. */
const ARCHIVED: readonly TeamSlug[] = ['legacy', 'sunset'];
/** Deactivated after joining Beta as its only champion. */
const INACTIVE: PersonName = 'Dee';

const members: { team: TeamSlug; who: PersonName; role: TeamRole; champion: boolean }[] = [
	{ team: 'alpha', who: 'Ann', role: 'lead', champion: true },
	{ team: 'alpha', who: 'Bo', role: 'member', champion: false },
	{ team: 'beta', who: 'Cy', role: 'lead', champion: false },
	{ team: 'beta', who: 'Dee', role: 'member', champion: true },
	{ team: 'gamma', who: 'Fay', role: 'lead', champion: false },
	{ team: 'gamma', who: 'Bo', role: 'member', champion: true },
	{ team: 'delta', who: 'Gus', role: 'lead', champion: false },
	{ team: 'legacy', who: 'Eve', role: 'lead', champion: true },
	{ team: 'legacy', who: 'Fay', role: 'member', champion: false },
	{ team: 'sunset', who: 'Cy', role: 'lead', champion: false }
];

const cycles = [
	{ name: '2026-Q1', startsOn: '2026-01-01', dueOn: '2026-03-31' },
	{ name: '2026-Q2', startsOn: '2026-04-01', dueOn: '2026-06-30' }
] as const;
export type CycleName = (typeof cycles)[number]['name'];

/** Statuses set after the cycles open; unlisted assessments stay drafts. */
const statuses: { cycle: CycleName; team: TeamSlug; status: AssessmentStatus }[] = [
	{ cycle: '2026-Q1', team: 'alpha', status: 'approved' },
	{ cycle: '2026-Q1', team: 'beta', status: 'approved' },
	{ cycle: '2026-Q1', team: 'gamma', status: 'submitted' },
	{ cycle: '2026-Q1', team: 'delta', status: 'returned' },
	{ cycle: '2026-Q1', team: 'legacy', status: 'approved' },
	{ cycle: '2026-Q1', team: 'sunset', status: 'submitted' },
	{ cycle: '2026-Q2', team: 'alpha', status: 'submitted' },
	{ cycle: '2026-Q2', team: 'beta', status: 'approved' },
	{ cycle: '2026-Q2', team: 'delta', status: 'submitted' }
];

const rotas: { team: TeamSlug; members: PersonName[] }[] = [
	{ team: 'alpha', members: ['Ann', 'Bo'] },
	{ team: 'delta', members: ['Gus'] },
	{ team: 'legacy', members: ['Eve', 'Fay'] }
];

/*
 * Threat modeling is a silo (security in 3 of 4 active teams); secret detection would be one
 * if archived teams counted; code review would be a gap if they counted, static analysis is one.
 */
const responsibilities: { team: TeamSlug; practiceId: string; party: ResponsibleParty }[] = [
	{ team: 'alpha', practiceId: 'threat-modeling', party: 'security' },
	{ team: 'beta', practiceId: 'threat-modeling', party: 'security' },
	{ team: 'gamma', practiceId: 'threat-modeling', party: 'security' },
	{ team: 'legacy', practiceId: 'threat-modeling', party: 'delivery' },
	{ team: 'alpha', practiceId: 'secret-detection', party: 'security' },
	{ team: 'beta', practiceId: 'secret-detection', party: 'security' },
	{ team: 'gamma', practiceId: 'secret-detection', party: 'shared' },
	{ team: 'legacy', practiceId: 'secret-detection', party: 'security' },
	{ team: 'sunset', practiceId: 'secret-detection', party: 'security' },
	{ team: 'alpha', practiceId: 'code-review', party: 'delivery' },
	{ team: 'legacy', practiceId: 'code-review', party: 'nobody' },
	{ team: 'delta', practiceId: 'static-analysis', party: 'nobody' },
	{ team: 'gamma', practiceId: 'static-analysis', party: 'operations' }
];

const adoptions: { team: TeamSlug; toolId: string; state: AdoptionState }[] = [
	{ team: 'alpha', toolId: 'semgrep', state: 'enforced' },
	{ team: 'alpha', toolId: 'gitleaks', state: 'adopted' },
	{ team: 'beta', toolId: 'semgrep', state: 'adopted' },
	{ team: 'beta', toolId: 'codeql', state: 'evaluating' },
	{ team: 'gamma', toolId: 'codeql', state: 'adopted' },
	{ team: 'gamma', toolId: 'gitleaks', state: 'not_used' },
	{ team: 'legacy', toolId: 'snyk-code', state: 'enforced' },
	{ team: 'legacy', toolId: 'semgrep', state: 'adopted' },
	{ team: 'legacy', toolId: 'gitleaks', state: 'enforced' }
];

export interface Organisation {
	adminId: string;
	users: { id: string; name: PersonName; email: string; active: boolean }[];
	units: {
		id: string;
		name: string;
		kind: 'department' | 'business_unit';
		parentId: string | null;
	}[];
	teams: { id: string; slug: TeamSlug; name: string; orgUnitId: string | null; active: boolean }[];
	members: { teamId: string; userId: string; role: TeamRole; champion: boolean }[];
	cycles: { id: string; name: CycleName; startsOn: string }[];
	assessments: { id: string; cycleId: string; teamId: string; status: AssessmentStatus }[];
	rotas: { teamId: string; userIds: string[] }[];
	responsibilities: { teamId: string; practiceId: string; party: ResponsibleParty }[];
	adoptions: { teamId: string; toolId: string; state: AdoptionState }[];
	/** Lookups by the names used above. */
	user(name: PersonName): string;
	team(slug: TeamSlug): string;
	cycle(name: CycleName): string;
	unit(name: string): string;
}

const must = <T extends { ok: boolean }>(result: T, what: string): T & { ok: true } => {
	if (!result.ok) throw new Error(`test organisation: ${what} refused: ${JSON.stringify(result)}`);
	return result as T & { ok: true };
};

/** Builds the organisation above in a fresh test database and returns what it inserted. */
export async function buildOrganisation(db: Database, model: Model): Promise<Organisation> {
	await syncCatalogue(db, getCatalogue(new Set(model.practiceById.keys())));
	const userRows = await db
		.insert(table.user)
		.values(
			users.map((name) => ({
				name,
				email: `${name.toLowerCase()}@example.com`,
				passwordHash: 'x',
				role: name === 'Admin' ? ('admin' as const) : ('member' as const)
			}))
		)
		.returning({ id: table.user.id, name: table.user.name, email: table.user.email });
	const userId = new Map(userRows.map((u) => [u.name as PersonName, u.id]));
	const user = (name: PersonName) => userId.get(name)!;
	const ctx = { actorId: user('Admin'), ip: '127.0.0.1' };

	const unitId = new Map<string, string>();
	for (const u of units) {
		const parentId = u.parent ? unitId.get(u.parent)! : null;
		const kind = parentId ? ('business_unit' as const) : ('department' as const);
		const created = must(await createOrgUnit(db, ctx, { name: u.name, kind, parentId }), u.name);
		unitId.set(u.name, created.id);
	}

	const teamId = new Map<TeamSlug, string>();
	for (const t of teams) {
		const input = {
			name: t.name,
			slug: t.slug,
			orgUnitId: t.unit ? unitId.get(t.unit)! : null,
			description: ''
		};
		teamId.set(t.slug, must(await createTeam(db, ctx, input), t.slug).id);
	}
	const team = (slug: TeamSlug) => teamId.get(slug)!;
	for (const m of members) {
		const input = {
			email: `${m.who.toLowerCase()}@example.com`,
			role: m.role,
			champion: m.champion
		};
		must(await addTeamMember(db, ctx, team(m.team), input), `${m.who} in ${m.team}`);
	}
	must(await setUserActive(db, ctx, user(INACTIVE), false), `deactivating ${INACTIVE}`);

	for (const r of rotas) {
		const input = { rotationWeeks: 1, startsOn: '2026-01-05', members: r.members.map(user) };
		must(await saveRota(db, ctx, team(r.team), input), `rota of ${r.team}`);
	}
	const practiceIds = new Set(model.practiceById.keys());
	for (const r of responsibilities) {
		const input = { practiceId: r.practiceId, party: r.party, accountableUserId: null };
		must(await setResponsibility(db, ctx, team(r.team), practiceIds, input), r.practiceId);
	}
	for (const a of adoptions) {
		const input = { toolId: a.toolId, state: a.state, since: null, note: '' };
		must(await setAdoption(db, ctx, team(a.team), input), `${a.toolId} in ${a.team}`);
	}

	// The archived teams have an assessment in the first cycle only.
	const cycleId = new Map<CycleName, string>();
	for (const [i, c] of cycles.entries()) {
		if (i === 1) for (const slug of ARCHIVED) await setTeamActive(db, ctx, team(slug), false);
		cycleId.set(c.name, must(await openCycle(db, ctx, model, c), c.name).id);
	}
	// What the cycles should hold, from the lists above: one assessment per team active when
	// the cycle opened, in the status set here or else a draft.
	const opened = await db
		.select({
			id: table.assessment.id,
			cycleId: table.assessment.cycleId,
			teamId: table.assessment.teamId
		})
		.from(table.assessment);
	const assessments = cycles.flatMap((c, i) =>
		teams
			.filter((t) => i === 0 || !ARCHIVED.includes(t.slug))
			.map((t) => {
				const found = opened.find(
					(a) => a.cycleId === cycleId.get(c.name) && a.teamId === team(t.slug)
				);
				if (!found) throw new Error(`test organisation: ${t.slug} has no ${c.name} assessment`);
				const status =
					statuses.find((s) => s.cycle === c.name && s.team === t.slug)?.status ?? 'draft';
				return { id: found.id, cycleId: found.cycleId, teamId: found.teamId, status };
			})
	);
	for (const a of assessments) {
		if (a.status === 'draft') continue;
		await db
			.update(table.assessment)
			.set({ status: a.status })
			.where(eq(table.assessment.id, a.id));
	}

	return {
		adminId: user('Admin'),
		users: userRows.map((u) => ({
			id: u.id,
			name: u.name as PersonName,
			email: u.email,
			active: u.name !== INACTIVE
		})),
		units: units.map((u) => ({
			id: unitId.get(u.name)!,
			name: u.name,
			kind: u.parent ? 'business_unit' : 'department',
			parentId: u.parent ? unitId.get(u.parent)! : null
		})),
		teams: teams.map((t) => ({
			id: team(t.slug),
			slug: t.slug,
			name: t.name,
			orgUnitId: t.unit ? unitId.get(t.unit)! : null,
			active: !ARCHIVED.includes(t.slug)
		})),
		members: members.map((m) => ({
			teamId: team(m.team),
			userId: user(m.who),
			role: m.role,
			champion: m.champion
		})),
		cycles: cycles.map((c) => ({ id: cycleId.get(c.name)!, name: c.name, startsOn: c.startsOn })),
		assessments,
		rotas: rotas.map((r) => ({ teamId: team(r.team), userIds: r.members.map(user) })),
		responsibilities: responsibilities.map((r) => ({
			teamId: team(r.team),
			practiceId: r.practiceId,
			party: r.party
		})),
		adoptions: adoptions.map((a) => ({ teamId: team(a.team), toolId: a.toolId, state: a.state })),
		user,
		team,
		cycle: (name) => cycleId.get(name)!,
		unit: (name) => unitId.get(name)!
	};
}
