import { emailLinks } from './links';
import { renderEmail } from './layout';

/** The link to choose a new password, asked for on /reset-password. */
export function passwordResetEmail(origin: string, d: { token: string; minutes: number }) {
	return renderEmail({
		subject: 'Reset your Rampart password',
		paragraphs: [
			'Someone asked to reset the password of the Rampart account with this address.',
			`The link works once, for ${d.minutes} minutes. Choosing a new password signs you out everywhere.`,
			'If it was not you, ignore this email: your password stays as it is.'
		],
		action: { label: 'Choose a new password', url: emailLinks.passwordReset(origin, d.token) },
		reason: 'a password reset was requested for this address',
		settingsUrl: null
	});
}
