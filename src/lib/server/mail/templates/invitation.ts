import { emailLinks } from './links';
import { renderEmail } from './layout';

/** An invitation to create an account; the link is the only copy of the token besides the admin's screen. */
export function invitationEmail(
	origin: string,
	d: { inviterName: string; token: string; expiresAt: Date }
) {
	return renderEmail({
		subject: `${d.inviterName} invited you to Rampart`,
		paragraphs: [
			`${d.inviterName} invited you to Rampart, where teams assess and grow their security practices.`,
			`The link works once and until ${d.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`
		],
		action: { label: 'Create your account', url: emailLinks.invitation(origin, d.token) },
		reason: 'an administrator invited this address',
		settingsUrl: null
	});
}
