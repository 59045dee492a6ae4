import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { teamRuns } from '$lib/server/evidence/runs';
import { teamToolEvidence } from '$lib/server/evidence/tools';
import { loadModel } from '$lib/server/model/load-model';
import { recordUpload } from '$lib/server/findings/record';
import { readSarif } from '$lib/server/findings/sarif';
import { readCycloneDx } from '$lib/server/findings/cyclonedx';
import { catalogueToolsFor } from '$lib/server/findings/tool-mapping';
import { ranWithoutFindings } from '$lib/server/findings/testing/runs';
import { sample, sampleNames } from '$lib/server/findings/testing/samples';
import { testOrganisation } from '$lib/server/testing/test-organisation';
import { mapScanner, scannerMappings, unmapScanner, unmappedScanners } from './scanner-names';
import { scannerKey } from './scanner-key';

const day = (n: number) => new Date(Date.UTC(2026, 4, n, 9));

describe('scanner names no tool claims', () => {
	const t = testOrganisation();
	const admin = () => ({ actorId: t.org.users.find((u) => u.name === 'Admin')!.id, ip: '' });
	const upload = (team: 'alpha' | 'beta', repository: string, at: Date, ...tools: string[]) =>
		recordUpload(
			t.db,
			{
				teamId: t.org.team(team),
				tokenId: null,
				repository,
				ref: 'main',
				commit: null,
				category: null,
				report: ranWithoutFindings(...tools)
			},
			at
		);

	it('lists exactly the names that map to nothing, with their teams, repositories and last upload', async () => {
		// Mapped by the catalogue, a tool's name in another case or with spaces: not listed.
		await upload('alpha', 'alpha/api', day(1), 'Semgrep OSS', 'gRYPE', ' Gitleaks ');
		await upload('alpha', 'alpha/api', day(2), 'In-house SAST');
		await upload('beta', 'beta/web', day(5), 'in-house sast ', 'Acme Scan');
		await upload('alpha', 'alpha/infra', day(3), 'platform-iac-scan');
		await t.db
			.insert(table.toolScannerName)
			.values({ name: 'acme scan', toolId: 'checkov', source: 'admin' });
		await upload('beta', 'beta/web', day(6), 'Acme Scan');

		const listed = await unmappedScanners(t.db);
		// Counted another way: every analysis's name, less those the mapping resolves.
		const names = (await t.db.select({ n: table.analysis.toolName }).from(table.analysis)).map(
			(r) => r.n
		);
		const resolved = await catalogueToolsFor(t.db, names);
		const expected = [...new Set(names.map(scannerKey))].filter((k) => !resolved.has(k)).sort();
		expect(listed.map((s) => s.key).sort()).toEqual(expected);
		expect(expected).toEqual(['in-house sast', 'platform-iac-scan']);

		expect(listed).toEqual([
			{
				key: 'in-house sast',
				names: ['In-house SAST', 'in-house sast '],
				teams: [
					{ name: 'Alpha', slug: 'alpha' },
					{ name: 'Beta', slug: 'beta' }
				],
				repositories: ['alpha/api', 'beta/web'],
				lastUpload: day(5)
			},
			{
				key: 'platform-iac-scan',
				names: ['platform-iac-scan'],
				teams: [{ name: 'Alpha', slug: 'alpha' }],
				repositories: ['alpha/infra'],
				lastUpload: day(3)
			}
		]);
	});

	it('maps a name once, and the team’s past scans count for that tool', async () => {
		const alpha = t.org.team('alpha');
		const before = await teamRuns(t.db, alpha);
		expect(before!.runs.filter((r) => r.repository === 'alpha/infra')).toEqual([]);
		const shown = () => teamToolEvidence(t.db, loadModel(), alpha, day(10), 30);
		expect((await shown()).unmapped).toEqual(['In-house SAST', 'platform-iac-scan']);
		expect((await shown()).tools.map((x) => x.toolId)).not.toContain('checkov');

		const audits = await t.db.$count(table.auditLog);
		const result = await mapScanner(t.db, admin(), {
			scanner: 'Platform-IaC-Scan',
			toolId: 'checkov'
		});
		expect(result).toEqual({ ok: true, toolName: 'Checkov' });
		const after = await teamRuns(t.db, alpha);
		expect(after!.runs.filter((r) => r.repository === 'alpha/infra')).toMatchObject([
			{ toolId: 'checkov', categories: ['iac-scanning'], onDefault: { at: day(3) } }
		]);
		expect((await unmappedScanners(t.db)).map((s) => s.key)).toEqual(['in-house sast']);
		// The team's tools page: Checkov ran a week ago, the name is no longer listed as unmapped.
		const page = await shown();
		expect(page.unmapped).toEqual(['In-house SAST']);
		expect(page.tools.find((x) => x.toolId === 'checkov')).toMatchObject({
			name: 'Checkov',
			lastRun: { daysAgo: 7, repository: 'alpha/infra', ref: 'main' }
		});
		const [entry] = await t.db
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.action, 'scanner.mapped'));
		expect(entry).toMatchObject({
			actorId: admin().actorId,
			targetType: 'tool',
			targetId: 'checkov',
			detail: { scanner: 'platform-iac-scan', toolId: 'checkov' }
		});
		expect(await t.db.$count(table.auditLog)).toBe(audits + 1);
		const mine = (await scannerMappings(t.db)).find((m) => m.name === 'platform-iac-scan');
		expect(mine).toMatchObject({ source: 'admin', toolId: 'checkov', byName: 'Admin' });
	});

	it('refuses an unknown or retired tool, a mapped name and a tool’s own name, storing nothing', async () => {
		await t.db
			.update(table.tool)
			.set({ retiredAt: day(1) })
			.where(eq(table.tool.id, 'tfsec'));
		const rows = await t.db.$count(table.toolScannerName);
		const audits = await t.db.$count(table.auditLog);
		const tries = [
			[{ scanner: 'in-house sast', toolId: 'no-such-tool' }, 'toolId'],
			[{ scanner: 'in-house sast', toolId: 'tfsec' }, 'toolId'],
			[{ scanner: 'Semgrep OSS', toolId: 'checkov' }, 'scanner'],
			[{ scanner: 'platform-iac-scan', toolId: 'semgrep' }, 'scanner'],
			[{ scanner: 'TRIVY', toolId: 'grype' }, 'scanner']
		] as const;
		for (const [input, field] of tries)
			expect(await mapScanner(t.db, admin(), input), input.scanner).toMatchObject({
				ok: false,
				field
			});
		expect(await t.db.$count(table.toolScannerName)).toBe(rows);
		expect(await t.db.$count(table.auditLog)).toBe(audits);
	});

	it('removes an admin’s mapping, never the catalogue’s', async () => {
		expect(await unmapScanner(t.db, admin(), 'semgrep oss')).toMatchObject({ ok: false });
		expect(await unmapScanner(t.db, admin(), 'never seen')).toMatchObject({ ok: false });
		expect(await unmapScanner(t.db, admin(), ' Platform-IaC-Scan')).toEqual({ ok: true });
		expect((await unmappedScanners(t.db)).map((s) => s.key)).toEqual([
			'in-house sast',
			'platform-iac-scan'
		]);
		const [semgrep] = await t.db
			.select()
			.from(table.toolScannerName)
			.where(eq(table.toolScannerName.name, 'semgrep oss'));
		expect(semgrep).toMatchObject({ toolId: 'semgrep', source: 'catalogue' });
	});

	it('maps the tool of every real scanner sample to a catalogue tool', async () => {
		// The SARIF specification's own examples name made-up scanners; every real one is claimed.
		const specExamples = new Set(['CodeScanner', 'OtherScanner']);
		const names = sampleNames().flatMap((file) => {
			const data = sample(file);
			const report = file.endsWith('.json') ? readCycloneDx(data) : readSarif(data);
			return report.tools.map((tool) => tool.name).filter((n) => !specExamples.has(n));
		});
		expect(names).toHaveLength(8);
		const found = await catalogueToolsFor(t.db, names);
		expect(names.filter((n) => !found.has(scannerKey(n)))).toEqual([]);
		expect(Object.fromEntries(names.map((n) => [n, found.get(scannerKey(n))!.id]))).toMatchObject({
			CodeQL: 'codeql',
			Grype: 'grype',
			grype: 'grype',
			'dependency-check': 'owasp-dependency-check',
			Flawfinder: 'flawfinder',
			Gitleaks: 'gitleaks',
			'Semgrep OSS': 'semgrep',
			SpotBugs: 'find-sec-bugs'
		});
		// The scanners of the CI pipeline test (tests/e2e/pipeline-scanners.spec.ts).
		const ci = await catalogueToolsFor(t.db, ['ESLint', 'secretlint']);
		expect([...ci.values()].map((m) => m.id).sort()).toEqual(['eslint', 'secretlint']);
	});
});
