import { kindLabels } from '../kinds';
import { emailLinks } from './links';
import { renderEmail } from './layout';

/** Assessments past their due date: one team for its lead, every late team for the security team. */
export function assessmentOverdueEmail(
	origin: string,
	d: { cycleName: string; dueOn: string; teams: { name: string; slug: string }[]; lead: boolean }
) {
	const one = d.teams.length === 1 ? d.teams[0]! : null;
	return renderEmail({
		subject: one
			? `${one.name}'s ${d.cycleName} assessment is overdue`
			: `${d.teams.length} assessments of ${d.cycleName} are overdue`,
		paragraphs: [
			`These ${d.cycleName} assessments were due on ${d.dueOn} and have not been submitted:`,
			d.teams.map((t) => `- ${t.name}`).join('\n')
		],
		action: one
			? {
					label: d.lead ? 'Open the assessment' : 'See the assessment',
					url: emailLinks.assessment(origin, one.slug, d.cycleName)
				}
			: { label: 'See all assessments', url: emailLinks.assessments(origin) },
		reason: kindLabels.assessment_overdue.reason,
		settingsUrl: emailLinks.settings(origin)
	});
}
