import { randomBytes } from 'node:crypto';
import type { Database } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { GlobalRole, TeamRole } from '$lib/server/db/schema';
import { hashPassword } from '$lib/server/auth/password';
import { hasUsers } from '$lib/server/auth/sign-in';
import { audit } from '$lib/server/audit/audit-log';
import { log } from '$lib/server/log';
import { getModel } from '$lib/server/model/load-model';
import { getCatalogue } from '$lib/server/tools/catalogue';
import { syncCatalogue } from '$lib/server/tools/sync';
import { seedDemoAssessments } from './assessments';
import { seedDemoPlans } from './plans';
import { seedDemoQuestions } from './questions';
import { seedDemoScans } from './scans';
import { seedDemoSummaries } from './summary';
import { seedDemoTools } from './tools';
import { seedDemoTraining } from './training';
import { demoOrganisation } from './organisation';

/** With RAMPART_DEMO=1 and an empty database, fills in the sample organisation and prints its sign-ins once. */
export async function seedDemoIfRequested(db: Database, env: NodeJS.ProcessEnv = process.env) {
	if (env.RAMPART_DEMO !== '1') return;
	if (await hasUsers(db)) {
		log.info('Demo: the database already has users; nothing was added.');
		return;
	}
	const password = env.DEMO_PASSWORD || `demo-${randomBytes(9).toString('base64url')}`;
	const people = await seedDemo(db, password);
	// Every global role, plus a team lead and a team member of the first team.
	log.info('Demo organisation created. Sign in with any of these (shown only now).', {
		signIns: people.slice(0, 6).map((p) => `${p.role}: ${p.email} (${p.name})`),
		more: `${people.length - 6} more team members, see /admin/users`,
		password
	});
}

/** Writes the sample organisation in one transaction; returns the people created. */
export async function seedDemo(db: Database, password: string) {
	const org = demoOrganisation();
	const passwordHash = await hashPassword(password);
	// Adoption refers to tools, so the catalogue must be in the database first.
	await syncCatalogue(db, getCatalogue(new Set(getModel().practiceById.keys())));
	return db.transaction(async (tx) => {
		const unitIds = new Map<string, string>();
		for (const dept of org.departments) {
			const [d] = await tx
				.insert(table.orgUnit)
				.values({ name: dept.name, kind: 'department' })
				.returning({ id: table.orgUnit.id });
			unitIds.set(dept.name, d!.id);
			for (const bu of dept.units) {
				const [u] = await tx
					.insert(table.orgUnit)
					.values({ name: bu, kind: 'business_unit', parentId: d!.id })
					.returning({ id: table.orgUnit.id });
				unitIds.set(bu, u!.id);
			}
		}
		const users = await tx
			.insert(table.user)
			.values(
				org.people.map((p) => ({
					email: p.email,
					name: p.name,
					role: p.role as GlobalRole,
					passwordHash
				}))
			)
			.returning({ id: table.user.id, email: table.user.email });
		const userId = new Map(users.map((u) => [u.email, u.id]));
		const teams = await tx
			.insert(table.team)
			.values(
				org.teams.map((t) => ({
					name: t.name,
					slug: t.slug,
					description: t.description,
					orgUnitId: unitIds.get(t.unit) ?? null
				}))
			)
			.returning({ id: table.team.id, slug: table.team.slug });
		const teamId = new Map(teams.map((t) => [t.slug, t.id]));
		const memberships = org.teams.flatMap((t) =>
			t.members.map((m) => ({
				teamId: teamId.get(t.slug)!,
				userId: userId.get(m.email)!,
				role: m.role as TeamRole,
				champion: m.champion
			}))
		);
		if (memberships.length) await tx.insert(table.teamMember).values(memberships);
		await seedDemoTraining(tx, userId, teamId);
		const reviewer = userId.get('security@demo.rampart.test')!;
		await seedDemoAssessments(tx, getModel(), teams, reviewer);
		await seedDemoQuestions(tx, getModel(), reviewer);
		await seedDemoPlans(tx, getModel(), teams, memberships);
		await seedDemoSummaries(tx, reviewer);
		await seedDemoTools(
			tx,
			getModel(),
			teams.map((t) => ({
				id: t.id,
				members: memberships.filter((m) => m.teamId === t.id).map((m) => m.userId)
			}))
		);
		await seedDemoScans(tx, getModel(), teamId);
		await audit(tx, {
			actorId: null,
			action: 'demo.seeded',
			targetType: 'organisation',
			detail: { teams: teams.length }
		});
		return org.people;
	});
}
