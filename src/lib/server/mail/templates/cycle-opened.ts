import { kindLabels } from '../kinds';
import { emailLinks } from './links';
import { renderEmail } from './layout';

/** A new cycle is open: the team's assessment is waiting. */
export function cycleOpenedEmail(
	origin: string,
	d: { cycleName: string; dueOn: string; teamName: string; teamSlug: string }
) {
	return renderEmail({
		subject: `${d.cycleName}: ${d.teamName}'s security assessment is open`,
		paragraphs: [
			`The ${d.cycleName} assessment cycle is open. ${d.teamName}'s assessment starts from last quarter's answers and is due on ${d.dueOn}.`
		],
		action: {
			label: 'Open the assessment',
			url: emailLinks.assessment(origin, d.teamSlug, d.cycleName)
		},
		reason: kindLabels.cycle_opened.reason,
		settingsUrl: emailLinks.settings(origin)
	});
}
