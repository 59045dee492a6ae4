import { kindLabels } from '../kinds';
import { emailLinks } from './links';
import { renderEmail } from './layout';

/** A reviewer asked the team a question (or followed one up). */
export function questionAskedEmail(
	origin: string,
	d: {
		cycleName: string;
		teamName: string;
		teamSlug: string;
		askerName: string;
		criterion: string;
		body: string;
	}
) {
	return renderEmail({
		subject: `A reviewer asks ${d.teamName} about “${d.criterion}”`,
		paragraphs: [
			`${d.askerName} asks about “${d.criterion}” in ${d.teamName}'s ${d.cycleName} assessment:`,
			d.body,
			'The assessment cannot be approved until the team answers.'
		],
		action: { label: 'Answer', url: emailLinks.questions(origin, d.teamSlug, d.cycleName) },
		reason: kindLabels.question_asked.reason,
		settingsUrl: emailLinks.settings(origin)
	});
}
