import { describe, expect, it } from 'vitest';
import * as table from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { recordUpload } from '$lib/server/findings/record';
import { ranWithoutFindings } from '$lib/server/findings/testing/runs';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { load } from './+page.server';
import Contradictions from './Contradictions.svelte';
import { render } from 'svelte/server';

/*
 * The reviewer's workspace lists the answers the team's scans contradict, whatever the filter
 * shows below: Alpha's 2026-Q2 (submitted) claims SAST on every repository, its scans show one of two.
 */
describe("the reviewer's workspace lists the contradicted answers", () => {
	const t = testOrganisation();
	const assessment = () =>
		t.org.assessments.find(
			(a) => a.teamId === t.org.team('alpha') && a.cycleId === t.org.cycle('2026-Q2')
		)!.id;
	const open = async (reviewer: SessionUser, search = '') =>
		(await load({
			locals: { db: t.db, user: reviewer, ip: '127.0.0.1' },
			params: { slug: 'alpha', cycle: '2026-Q2' },
			url: new URL(`http://127.0.0.1/teams/alpha/assessments/2026-Q2/review${search}`)
		} as never)) as { contradictions: { criterionId: string; phase: string; value: number }[] };

	it('lists each most/all answer the scans do not back, with the facts, in model order', async () => {
		const [u] = await t.db
			.insert(table.user)
			.values({ email: 'rita@review.example', name: 'Rita', passwordHash: 'x', role: 'security' })
			.returning();
		const rita: SessionUser = { id: u!.id, email: u!.email, name: u!.name, role: 'security' };
		expect((await open(rita)).contradictions).toEqual([]);

		for (const [repository, tool] of [
			['payments/api', 'CodeQL'],
			['payments/web', 'Gitleaks']
		])
			await recordUpload(t.db, {
				teamId: t.org.team('alpha'),
				tokenId: null,
				repository: repository!,
				ref: 'main',
				commit: null,
				category: null,
				report: ranWithoutFindings(tool!)
			});
		const answers: [string, number][] = [
			['static-analysis.2.a', 1], // CodeQL on 1 of 2: contradicted
			['secret-detection.2.a', 0.5], // Gitleaks on 1 of 2: backed
			['dependency-scanning.2.a', 0.5], // nothing: contradicted
			['dynamic-analysis.2.a', 0.25] // "some": no claim
		];
		await t.db
			.insert(table.answer)
			.values(
				answers.map(([criterionId, value]) => ({ assessmentId: assessment(), criterionId, value }))
			);

		const page = await open(rita);
		expect(page.contradictions.map((c) => [c.criterionId, c.phase, c.value])).toEqual([
			['dependency-scanning.2.a', 'build', 0.5],
			['static-analysis.2.a', 'build', 1]
		]);
		// The list does not depend on the filter below it.
		expect((await open(rita, '?phase=plan')).contradictions).toEqual(page.contradictions);

		const text = render(Contradictions, { props: { contradictions: page.contradictions as never } })
			.body.replace(/<!--[^>]*-->/g, '')
			.replace(/<[^>]+>/g, '')
			.replace(/\s+/g, ' ');
		expect(text).toContain("2 answers claim more than the team's scans show.");
		expect(text).toContain(
			'the answer is “All”, but only 1 of 2 repositories had a qualifying run. CodeQL ran on 1 of 2 repositories in the last 30 days.'
		);
		expect(text).toContain('the answer is “Most”, but no repository had a qualifying run.');
	});
});
