import { kindLabels } from '../kinds';
import { emailLinks } from './links';
import { renderEmail } from './layout';

/** The team answered the reviewer's question. */
export function questionAnsweredEmail(
	origin: string,
	d: {
		cycleName: string;
		teamName: string;
		teamSlug: string;
		answererName: string;
		criterion: string;
		body: string;
	}
) {
	return renderEmail({
		subject: `${d.teamName} answered your question about “${d.criterion}”`,
		paragraphs: [
			`${d.answererName} (${d.teamName}) answered your question about “${d.criterion}” in the ${d.cycleName} assessment:`,
			d.body
		],
		action: {
			label: 'Continue the review',
			url: emailLinks.review(origin, d.teamSlug, d.cycleName)
		},
		reason: kindLabels.question_answered.reason,
		settingsUrl: emailLinks.settings(origin)
	});
}
