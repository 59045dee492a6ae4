import { kindLabels } from '../kinds';
import { emailLinks } from './links';
import { renderEmail } from './layout';

/** A team lead assigned a training module. */
export function trainingAssignedEmail(
	origin: string,
	d: {
		moduleId: string;
		moduleTitle: string;
		dueOn: string;
		teamName: string;
		assignerName: string;
	}
) {
	return renderEmail({
		subject: `Training assigned: ${d.moduleTitle} (due ${d.dueOn})`,
		paragraphs: [
			`${d.assignerName} (${d.teamName}) assigned you the training module “${d.moduleTitle}”, due on ${d.dueOn}.`
		],
		action: { label: 'Start the module', url: emailLinks.trainingModule(origin, d.moduleId) },
		reason: kindLabels.training_assigned.reason,
		settingsUrl: emailLinks.settings(origin)
	});
}
