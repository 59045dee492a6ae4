import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/**
 * Who may read /metrics. With METRICS_TOKEN set: a request bearing it
 * (`Authorization: Bearer …`, compared in constant time), from anywhere. Without it: only a
 * request made on this machine (a loopback address) that no proxy forwarded — behind a reverse
 * proxy on the same machine every request comes from 127.0.0.1, and the proxy's forwarding
 * headers are what tell them apart. Anyone else is told the page does not exist.
 */
export type MetricsAccess =
	| { allowed: true }
	| { allowed: false; status: 401; challenge: string }
	| { allowed: false; status: 404 };

/** The token's shortest length: a guessable one would be worse than the loopback rule. */
export const METRICS_TOKEN_MIN_LENGTH = 24;

/** Reads METRICS_TOKEN: unset, or a token of at least METRICS_TOKEN_MIN_LENGTH characters. */
export function metricsToken(env: Record<string, string | undefined>): string | null {
	const token = env.METRICS_TOKEN?.trim();
	if (!token) return null;
	if (token.length < METRICS_TOKEN_MIN_LENGTH || /\s/.test(token))
		throw new Error(
			`METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN_LENGTH} characters without spaces (openssl rand -hex 32 makes one).`
		);
	return token;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether `given` is `expected`, in time that does not depend on where they differ. */
export function sameToken(given: string, expected: string): boolean {
	// Equal-length digests: timingSafeEqual needs equal lengths, and the length leaks nothing then.
	return timingSafeEqual(digest(given), digest(expected));
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Whether an address is this machine's own (127.0.0.0/8, ::1, or IPv4 mapped into IPv6). */
export function isLoopback(address: string): boolean {
	const ip = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
	const version = isIP(ip);
	return version !== 0 && loopback.check(ip, version === 4 ? 'ipv4' : 'ipv6');
}

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'x-forwarded-host'];

/** Decides a request to /metrics from its headers, its client address and the settings. */
export function metricsAccess(
	headers: Headers,
	clientAddress: string,
	token: string | null
): MetricsAccess {
	if (token) {
		const authorization = headers.get('authorization') ?? '';
		const match = /^Bearer +(\S+) *$/i.exec(authorization);
		if (match && sameToken(match[1]!, token)) return { allowed: true };
		return {
			allowed: false,
			status: 401,
			challenge: match
				? 'Bearer realm="rampart-metrics", error="invalid_token"'
				: 'Bearer realm="rampart-metrics"'
		};
	}
	if (isLoopback(clientAddress) && !FORWARDING_HEADERS.some((h) => headers.has(h)))
		return { allowed: true };
	return { allowed: false, status: 404 };
}
