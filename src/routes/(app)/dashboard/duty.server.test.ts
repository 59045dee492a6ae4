import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '$lib/server/db/test-db';
import type { DatabaseHandle } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { seedDemo } from '$lib/server/demo/seed';
import { onDutyNames } from '$lib/server/responsibility/report';
import { render } from 'svelte/server';
import type { DashboardView } from '$lib/server/dashboard/view';
import { load } from './+page.server';
import DashboardBody from './DashboardBody.svelte';

// Leadership's dashboard is cached per data revision and names who is on security duty: a
// renamed person or a changed rota must show on the very next view, not a minute later.
describe("the dashboard's security duty", () => {
	let handle: DatabaseHandle;
	let leadership: SessionUser;

	beforeAll(async () => {
		handle = await createTestDatabase();
		await seedDemo(handle.db, 'demo password for tests');
		const [u] = await handle.db.select().from(table.user).where(eq(table.user.role, 'leadership'));
		leadership = { id: u!.id, email: u!.email, name: u!.name, role: u!.role };
	});
	afterAll(() => handle.close());

	const body = async () => {
		const event = {
			locals: { db: handle.db, user: leadership },
			url: new URL('http://127.0.0.1/dashboard'),
			setHeaders: () => {}
		};
		const data = (await load(event as never)) as {
			view: DashboardView;
			sort: string;
			filters: string;
		};
		return render(DashboardBody, { props: { ...data, data: data.view } }).body;
	};

	/** A team with a rota and the person on duty there now, read without the page. */
	const someoneOnDuty = async () => {
		const rotas = await handle.db.select({ teamId: table.rota.teamId }).from(table.rota);
		const duty = await onDutyNames(
			handle.db,
			rotas.map((r) => r.teamId)
		);
		const [teamId, names] = [...duty].find(([, d]) => d.now)!;
		const [person] = await handle.db
			.select({ id: table.user.id })
			.from(table.user)
			.where(eq(table.user.name, names.now!));
		return { teamId, name: names.now!, userId: person!.id };
	};

	it('shows a renamed person on the next view', async () => {
		const { name, userId } = await someoneOnDuty();
		expect(await body()).toContain(`${name} now`);
		await handle.db
			.update(table.user)
			.set({ name: 'Grace Renamed' })
			.where(eq(table.user.id, userId));
		const after = await body();
		expect(after).toContain('Grace Renamed now');
		expect(after).not.toContain(`${name} now`);
	});

	it('shows a changed rota on the next view', async () => {
		const { teamId, name } = await someoneOnDuty();
		const [team] = await handle.db.select().from(table.team).where(eq(table.team.id, teamId));
		expect(await body()).toContain(`>${team!.name}</a>: ${name} now`);
		await handle.db.delete(table.rotaSwap).where(eq(table.rotaSwap.teamId, teamId));
		await handle.db.delete(table.rotaMember).where(eq(table.rotaMember.teamId, teamId));
		await handle.db.delete(table.rota).where(eq(table.rota.teamId, teamId));
		expect(await body()).not.toContain(`>${team!.name}</a>: ${name} now`);
	});
});
