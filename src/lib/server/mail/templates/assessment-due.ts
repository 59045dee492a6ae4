import { kindLabels } from '../kinds';
import { emailLinks } from './links';
import { renderEmail } from './layout';

/** The team's assessment is due soon and not yet submitted. */
export function assessmentDueEmail(
	origin: string,
	d: { cycleName: string; dueOn: string; days: number; teamName: string; teamSlug: string }
) {
	const when = d.days <= 0 ? 'today' : d.days === 1 ? 'tomorrow' : `in ${d.days} days`;
	return renderEmail({
		subject: `${d.teamName}'s ${d.cycleName} assessment is due ${when}`,
		paragraphs: [
			`${d.teamName}'s ${d.cycleName} assessment is due ${when} (${d.dueOn}) and has not been submitted yet. The team lead submits it.`
		],
		action: {
			label: 'Open the assessment',
			url: emailLinks.assessment(origin, d.teamSlug, d.cycleName)
		},
		reason: kindLabels.assessment_due.reason,
		settingsUrl: emailLinks.settings(origin)
	});
}
