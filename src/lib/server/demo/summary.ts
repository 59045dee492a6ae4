import { eq } from 'drizzle-orm';
import type { Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { demoCycles } from './assessments';

/** The security team's executive summary of each closed demo cycle (markdown, as written on the report). */
const summaries: Record<string, string> = {
	'2026-Q2': `**First full cycle.** Every team assessed itself and the security team reviewed all twelve
assessments, so this quarter is the baseline the next ones are measured against.

- The build phase is furthest along: most teams run [[practice:dependency-scanning]] and
  [[practice:secret-detection]] in their pipelines.
- Threat modeling and incident response lag behind: few teams do either on a schedule.
- Next quarter we run threat modeling workshops for the payments and customer teams.`,
	'2026-Q3': `**Steady progress, one team slipping.** Most teams improved on the baseline, and the
develop phase moved most after the secure code review training.

1. Keep the momentum on [[practice:code-review]]: the largest gain of the quarter.
2. Two teams dropped since the last cycle; the security team meets each of them this month.
3. [[practice:incident-response]] is still the weakest practice: every team names an on-call
   rota before the next cycle closes.

Questions about this report: [security@demo.rampart.test](mailto:security@demo.rampart.test).`
};

/** Writes the executive summaries of the closed demo cycles, signed by the security team. */
export async function seedDemoSummaries(tx: Tx, authorId: string) {
	for (const c of demoCycles) {
		const summary = summaries[c.name];
		if (!summary) continue;
		await tx
			.update(table.cycle)
			.set({
				summary,
				summaryUpdatedAt: new Date(`${c.dueOn}T16:00:00Z`),
				summaryUpdatedBy: authorId
			})
			.where(eq(table.cycle.name, c.name));
	}
}
