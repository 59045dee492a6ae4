import { kindLabels } from '../kinds';
import { emailLinks } from './links';
import { renderEmail } from './layout';

/** A reviewer returned the team's assessment with comments. */
export function assessmentReturnedEmail(
	origin: string,
	d: {
		cycleName: string;
		teamName: string;
		teamSlug: string;
		reviewerName: string;
		comment: string;
	}
) {
	return renderEmail({
		subject: `${d.teamName}'s ${d.cycleName} assessment was returned with comments`,
		paragraphs: [
			`${d.reviewerName} returned ${d.teamName}'s ${d.cycleName} assessment. Their comments:`,
			d.comment,
			'Change what they ask, then the team lead submits it again.'
		],
		action: {
			label: 'Open the assessment',
			url: emailLinks.assessment(origin, d.teamSlug, d.cycleName)
		},
		reason: kindLabels.assessment_returned.reason,
		settingsUrl: emailLinks.settings(origin)
	});
}
