/** Which incoming-webhook addresses a team may set: the chat services', never the app's own network. */

/** Slack's and Microsoft Teams' (connectors, and Workflows in Power Automate) webhook hosts. */
export const DEFAULT_WEBHOOK_HOSTS = [
	'hooks.slack.com',
	'*.webhook.office.com',
	'*.logic.azure.com',
	'*.environment.api.powerplatform.com'
];

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** CHAT_WEBHOOK_HOSTS (comma-separated host names, `*.` for any subdomain) or the defaults. */
export function webhookHosts(env: NodeJS.ProcessEnv = process.env): string[] {
	const list = env.CHAT_WEBHOOK_HOSTS?.split(',')
		.map((h) => h.trim().toLowerCase())
		.filter(Boolean);
	return list?.length ? list : DEFAULT_WEBHOOK_HOSTS;
}

function hostAllowed(host: string, allowed: readonly string[]): boolean {
	return allowed.some((a) =>
		a.startsWith('*.') ? host.endsWith(a.slice(1)) && host.length > a.length - 1 : host === a
	);
}

/**
 * Why a webhook address is refused, or null. HTTPS to an allowed host only, with no user name or
 * password in it; plain HTTP only to this machine, and only when CHAT_WEBHOOK_HOSTS names it.
 */
export function webhookProblem(url: string, env: NodeJS.ProcessEnv = process.env): string | null {
	if (url.length > 1000) return 'Use at most 1000 characters.';
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'Enter the whole address, starting with https://.';
	}
	if (parsed.username || parsed.password)
		return 'The address may not hold a user name or password.';
	const host = parsed.hostname.toLowerCase();
	const allowed = webhookHosts(env);
	if (!hostAllowed(host, allowed))
		return `Use an incoming webhook of Slack or Microsoft Teams (${allowed.join(', ')}).`;
	if (parsed.protocol === 'https:') return null;
	if (parsed.protocol === 'http:' && loopback.has(host) && allowed.includes(host)) return null;
	return 'Use an https:// address.';
}

/** The host of a stored webhook, which is all the page shows of it (the rest is a secret). */
export function webhookHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return '';
	}
}
