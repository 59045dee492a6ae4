import { email } from './auth';

export const inviteRoles = ['member', 'security', 'leadership', 'admin'] as const;
export type InviteRole = (typeof inviteRoles)[number];

/** At most this many people in one paste; a bigger list goes in parts. */
export const MAX_INVITE_LINES = 200;
/** The pasted text as a whole, so a huge body is refused before it is split. */
export const MAX_INVITE_TEXT = MAX_INVITE_LINES * 300;

export interface InviteLine {
	line: number;
	email: string;
	role: InviteRole;
}

export interface LineProblem {
	/** 1-based; 0 for a problem with the list as a whole. */
	line: number;
	message: string;
}

export type InviteList =
	{ ok: true; people: InviteLine[] } | { ok: false; problems: LineProblem[] };

/**
 * Reads a pasted list of invitations: one person a line, "email role" or "email, role" (a tab
 * or semicolon works too); without a role, member. Blank lines are skipped but counted, so a
 * problem names the line the admin sees. Every problem is reported, not only the first.
 */
export function parseInviteList(text: string): InviteList {
	if (text.length > MAX_INVITE_TEXT)
		return {
			ok: false,
			problems: [{ line: 0, message: 'The list is too long: paste it in parts.' }]
		};
	const lines = text.split(/\r\n|\r|\n/);
	const problems: LineProblem[] = [];
	const people: InviteLine[] = [];
	const firstLineOf = new Map<string, number>();
	lines.forEach((raw, i) => {
		const line = i + 1;
		const text = raw.trim();
		if (!text) return;
		const parts = text.split(/\s*[,;\t]\s*|\s+/).filter(Boolean);
		if (parts.length > 2) {
			problems.push({
				line,
				message: 'Write an address and a role, like “ada@example.com member”.'
			});
			return;
		}
		const [address = '', roleText = 'member'] = parts;
		const parsedEmail = email.safeParse(address);
		if (!parsedEmail.success) {
			problems.push({ line, message: parsedEmail.error.issues[0]!.message });
			return;
		}
		const role = roleText.toLowerCase();
		if (!(inviteRoles as readonly string[]).includes(role)) {
			problems.push({
				line,
				// Echoed only when it is plain printable text.
				message: `${/^[\x21-\x7e]{1,20}$/.test(roleText) ? `“${roleText}” is` : 'That is'} not a role: use member, security, leadership or admin.`
			});
			return;
		}
		const first = firstLineOf.get(parsedEmail.data);
		if (first !== undefined) {
			problems.push({ line, message: `${parsedEmail.data} is already on line ${first}.` });
			return;
		}
		firstLineOf.set(parsedEmail.data, line);
		people.push({ line, email: parsedEmail.data, role: role as InviteRole });
	});
	if (!problems.length && !people.length)
		problems.push({ line: 0, message: 'Paste at least one address, one person a line.' });
	if (people.length + problems.length > MAX_INVITE_LINES)
		problems.unshift({
			line: 0,
			message: `At most ${MAX_INVITE_LINES} people at once: paste the list in parts.`
		});
	return problems.length ? { ok: false, problems } : { ok: true, people };
}
