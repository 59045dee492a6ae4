/** The frame every email shares: plain text and HTML from the same parts, user input escaped. */

export interface EmailMessage {
	subject: string;
	text: string;
	html: string;
}

export interface EmailParts {
	subject: string;
	/** Paragraphs of plain text (names of people and teams in them are escaped for the HTML). */
	paragraphs: string[];
	/** The one thing to do, as an absolute link. */
	action?: { label: string; url: string };
	/** Why this person receives this email (completes "You receive this email because …"). */
	reason: string;
	/** The notification settings on /account, or null for emails a person cannot turn off. */
	settingsUrl: string | null;
}

const entities: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

/** A subject line on one line, whatever a name holds. */
function oneLine(text: string): string {
	return text.replace(/[\r\n\t]+/g, ' ').slice(0, 200);
}

/** Renders the parts as a plain-text and an HTML body. No remote images, no scripts. */
export function renderEmail(parts: EmailParts): EmailMessage {
	const footer = parts.settingsUrl
		? `You receive this email because ${parts.reason}. Choose which emails you receive: ${parts.settingsUrl}`
		: `You receive this email because ${parts.reason}.`;
	const text = [
		...parts.paragraphs,
		...(parts.action ? [`${parts.action.label}: ${parts.action.url}`] : []),
		'--',
		footer
	].join('\n\n');
	const p = (t: string) => `<p style="margin:0 0 16px">${escapeHtml(t)}</p>`;
	const action = parts.action
		? `<p style="margin:0 0 16px"><a href="${escapeHtml(parts.action.url)}">${escapeHtml(parts.action.label)}</a></p>`
		: '';
	const settings = parts.settingsUrl
		? ` <a href="${escapeHtml(parts.settingsUrl)}">Choose which emails you receive</a>.`
		: '';
	const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(oneLine(parts.subject))}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:40rem">
${parts.paragraphs.map(p).join('\n')}
${action}
<hr>
<p style="font-size:0.875em;color:#555">You receive this email because ${escapeHtml(parts.reason)}.${settings}</p>
</body></html>
`;
	return { subject: oneLine(parts.subject), text, html };
}
