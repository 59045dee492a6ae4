import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { AdoptionState, ResponsibleParty } from '$lib/server/db/schema';
import type { Model } from '$lib/server/model/types';

/** Per category, the tools demo teams choose from (first ones more often): some sprawl, some gaps. */
const choices: Record<string, string[]> = {
	sast: ['semgrep', 'sonarqube', 'codeql', 'bandit', 'gosec'],
	sca: ['dependabot', 'snyk-open-source', 'renovate', 'owasp-dependency-check'],
	'secret-detection': ['gitleaks', 'github-secret-scanning', 'trufflehog'],
	'container-scanning': ['trivy', 'grype'],
	dast: ['zap', 'burp-suite', 'crashtest-security'],
	'iac-scanning': ['checkov', 'tfsec'],
	iac: ['terraform', 'pulumi'],
	'secret-management': ['hashicorp-vault', 'aws-secrets-manager', 'sops'],
	'logging-siem': ['elastic-stack', 'splunk', 'grafana'],
	'threat-modeling': ['owasp-threat-dragon', 'iriusrisk']
};

const states: AdoptionState[] = ['enforced', 'adopted', 'adopted', 'evaluating'];
const parties: ResponsibleParty[] = [
	'delivery',
	'delivery',
	'shared',
	'operations',
	'security',
	'nobody'
];
/** Practices the demo security team holds in most teams, so the responsibility view shows a silo. */
const securityHeld = new Set(['penetration-testing', 'threat-intelligence']);

/** Adoption, responsibility and rotas for the demo teams (team index drives the variety). */
export async function seedDemoTools(
	tx: Tx,
	model: Model,
	teams: { id: string; members: string[] }[],
	today = new Date()
) {
	const adoption: (typeof table.toolAdoption.$inferInsert)[] = [];
	const responsibility: (typeof table.responsibility.$inferInsert)[] = [];
	teams.forEach((team, ti) => {
		for (const [ci, [, tools]] of Object.entries(choices).entries()) {
			// Most teams have one tool per category, a few have none, some run two.
			if ((ti + ci) % 5 === 4) continue;
			const picks = (ti + 2 * ci) % 4 === 0 ? 2 : 1;
			for (let k = 0; k < picks; k++) {
				const toolId = tools[(ti * (k + 1) + ci) % tools.length]!;
				if (adoption.some((a) => a.teamId === team.id && a.toolId === toolId)) continue;
				const month = String(((ti + ci) % 12) + 1).padStart(2, '0');
				adoption.push({
					teamId: team.id,
					toolId,
					state: states[(ti + ci + k) % states.length]!,
					since: `2025-${month}-01`,
					note: ''
				});
			}
		}
		model.practices.forEach((p, pi) => {
			// Every third team leaves a few practices unrecorded.
			if (ti % 3 === 2 && pi % 4 === 0) return;
			const party =
				securityHeld.has(p.id) && ti % 4 !== 0 ? 'security' : parties[(ti + pi) % parties.length]!;
			responsibility.push({
				teamId: team.id,
				practiceId: p.id,
				party,
				accountableUserId:
					party === 'nobody' ? null : (team.members[pi % team.members.length] ?? null)
			});
		});
	});
	if (adoption.length) await tx.insert(table.toolAdoption).values(adoption);
	if (responsibility.length) await tx.insert(table.responsibility).values(responsibility);

	// Rotas: most teams rotate weekly or fortnightly from a recent Monday; every fourth has none.
	const monday = new Date(
		Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())
	);
	monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7) - 14);
	const startsOn = monday.toISOString().slice(0, 10);
	for (const [ti, team] of teams.entries()) {
		if (ti % 4 === 3 || !team.members.length) continue;
		await tx
			.insert(table.rota)
			.values({ teamId: team.id, rotationWeeks: ti % 2 ? 2 : 1, startsOn });
		await tx
			.insert(table.rotaMember)
			.values(team.members.map((userId, position) => ({ teamId: team.id, position, userId })));
	}
}
