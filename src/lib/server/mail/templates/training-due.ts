import { kindLabels } from '../kinds';
import { emailLinks } from './links';
import { renderEmail } from './layout';

/** An assigned module is due soon and not complete. */
export function trainingDueEmail(
	origin: string,
	d: { moduleId: string; moduleTitle: string; dueOn: string; teamName: string }
) {
	return renderEmail({
		subject: `Training due ${d.dueOn}: ${d.moduleTitle}`,
		paragraphs: [
			`The module “${d.moduleTitle}”, assigned to you in ${d.teamName}, is due on ${d.dueOn} and is not complete yet.`
		],
		action: { label: 'Continue the module', url: emailLinks.trainingModule(origin, d.moduleId) },
		reason: kindLabels.training_due.reason,
		settingsUrl: emailLinks.settings(origin)
	});
}
