import { kindLabels } from '../kinds';
import { emailLinks } from './links';
import { renderEmail } from './layout';

/** A security on-call turn starts next week or today. */
export function onCallEmail(
	origin: string,
	d: { when: 'next_week' | 'today'; teamName: string; teamSlug: string; start: string; end: string }
) {
	const kind = d.when === 'today' ? 'oncall_today' : 'oncall_next_week';
	return renderEmail({
		subject:
			d.when === 'today'
				? `You are on security on-call for ${d.teamName} from today`
				: `Your security on-call turn for ${d.teamName} starts on ${d.start}`,
		paragraphs: [
			`You hold ${d.teamName}'s security on-call from ${d.start} until ${d.end} (the turn ends that morning).`,
			'If you cannot, swap the turn with someone on the rota.'
		],
		action: { label: 'See the rota', url: emailLinks.rota(origin, d.teamSlug) },
		reason: kindLabels[kind].reason,
		settingsUrl: emailLinks.settings(origin)
	});
}
