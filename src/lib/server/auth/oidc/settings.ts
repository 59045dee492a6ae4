import { globalRoles, type GlobalRole } from '$lib/server/db/schema';

/** Single sign-on through one OpenID Connect provider, read from the environment. */
export interface OidcSettings {
	issuer: URL;
	clientId: string;
	clientSecret: string;
	scopes: string;
	/** The provider's name on the sign-in button. */
	name: string;
	/** Lower-cased domains whose addresses may sign in; null: any. */
	allowedDomains: readonly string[] | null;
	/** The claim that lists the person's groups (e.g. `groups`); null: roles are not synced. */
	roleClaim: string | null;
	/** Group name → global role. */
	roleMap: ReadonlyMap<string, GlobalRole>;
	defaultRole: GlobalRole;
	/** The boolean claim saying the email is verified (Entra ID: `xms_edov`). */
	emailVerifiedClaim: string;
}

/** Who may sign in with a password. */
export interface LocalPasswordSettings {
	enabled: boolean;
	/** With local passwords off, the one account (lower-cased email) that may still use one. */
	breakGlassAdmin: string | null;
}

type Env = Record<string, string | undefined>;

const LABEL = /^[a-z0-9-]{1,63}$/;

function isDomain(name: string): boolean {
	const labels = name.split('.');
	const ok = (l: string) => LABEL.test(l) && !l.startsWith('-') && !l.endsWith('-');
	return name.length <= 253 && labels.length >= 2 && labels.every(ok);
}
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function role(name: string, raw: string): GlobalRole {
	if (!(globalRoles as readonly string[]).includes(raw)) {
		throw new Error(
			`${name} names an unknown role "${raw}": use one of ${globalRoles.join(', ')}.`
		);
	}
	return raw as GlobalRole;
}

function list(raw: string | undefined): string[] {
	return (raw ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

function issuerUrl(raw: string): URL {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new Error(`OIDC_ISSUER must be the provider's issuer URL, not "${raw}".`);
	}
	const loopback = LOOPBACK.has(url.hostname);
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
		throw new Error(
			`OIDC_ISSUER must use https (plain http only on 127.0.0.1 or localhost), not "${raw}".`
		);
	}
	if (url.search || url.hash) throw new Error(`OIDC_ISSUER must have no query or fragment.`);
	return url;
}

/**
 * Reads OIDC_*; null when OIDC_ISSUER is unset (no single sign-on). A configuration that is
 * wrong or half there throws with the variable and the problem, so the app stops at start.
 */
export function oidcSettings(env: Env = process.env): OidcSettings | null {
	const issuer = env.OIDC_ISSUER?.trim();
	if (!issuer) {
		const stray = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'].filter((n) => env[n]?.trim());
		if (stray.length > 0) throw new Error(`${stray.join(' and ')} set without OIDC_ISSUER.`);
		return null;
	}
	const clientId = env.OIDC_CLIENT_ID?.trim();
	const clientSecret = env.OIDC_CLIENT_SECRET?.trim();
	if (!clientId) throw new Error('OIDC_CLIENT_ID is required with OIDC_ISSUER.');
	if (!clientSecret) throw new Error('OIDC_CLIENT_SECRET is required with OIDC_ISSUER.');
	const scopes = list((env.OIDC_SCOPES ?? '').replaceAll(' ', ','));
	if (scopes.length > 0 && !scopes.includes('openid')) {
		throw new Error(`OIDC_SCOPES must include "openid", not "${env.OIDC_SCOPES}".`);
	}
	const allowedDomains = list(env.OIDC_ALLOWED_DOMAINS).map((d) => d.toLowerCase());
	const badDomain = allowedDomains.find((d) => !isDomain(d));
	if (badDomain) {
		throw new Error(`OIDC_ALLOWED_DOMAINS holds "${badDomain}", which is not a domain name.`);
	}
	const roleMap = new Map<string, GlobalRole>();
	for (const pair of list(env.OIDC_ROLE_MAP)) {
		const at = pair.lastIndexOf('=');
		if (at <= 0) {
			throw new Error(`OIDC_ROLE_MAP entries are group=role, not "${pair}".`);
		}
		roleMap.set(pair.slice(0, at).trim(), role('OIDC_ROLE_MAP', pair.slice(at + 1).trim()));
	}
	const roleClaim = env.OIDC_ROLE_CLAIM?.trim() || null;
	if (roleMap.size > 0 && !roleClaim) {
		throw new Error('OIDC_ROLE_MAP needs OIDC_ROLE_CLAIM, the claim that lists the groups.');
	}
	return {
		issuer: issuerUrl(issuer),
		clientId,
		clientSecret,
		scopes: scopes.length > 0 ? scopes.join(' ') : 'openid email profile',
		name: env.OIDC_NAME?.trim() || 'single sign-on',
		allowedDomains: allowedDomains.length > 0 ? allowedDomains : null,
		roleClaim,
		roleMap,
		defaultRole: role('OIDC_DEFAULT_ROLE', env.OIDC_DEFAULT_ROLE?.trim() || 'member'),
		emailVerifiedClaim: env.OIDC_EMAIL_VERIFIED_CLAIM?.trim() || 'email_verified'
	};
}

/**
 * Reads LOCAL_PASSWORDS (on, the default, or off) and BREAK_GLASS_ADMIN. Off needs single
 * sign-on and one break-glass account, so nobody is locked out when the provider is down.
 */
export function localPasswordSettings(env: Env = process.env): LocalPasswordSettings {
	const raw = (env.LOCAL_PASSWORDS?.trim() || 'on').toLowerCase();
	if (raw !== 'on' && raw !== 'off') {
		throw new Error(`LOCAL_PASSWORDS must be "on" or "off", not "${env.LOCAL_PASSWORDS}".`);
	}
	const breakGlass = env.BREAK_GLASS_ADMIN?.trim().toLowerCase() || null;
	if (breakGlass && !EMAIL.test(breakGlass)) {
		throw new Error(`BREAK_GLASS_ADMIN must be an email address, not "${breakGlass}".`);
	}
	if (raw === 'on') return { enabled: true, breakGlassAdmin: null };
	if (!oidcSettings(env))
		throw new Error('LOCAL_PASSWORDS=off needs single sign-on (OIDC_ISSUER).');
	if (!breakGlass) {
		throw new Error(
			'LOCAL_PASSWORDS=off needs BREAK_GLASS_ADMIN, the email of the one admin who may still use a password.'
		);
	}
	return { enabled: false, breakGlassAdmin: breakGlass };
}

/** Whether this email may sign in with a password. */
export function mayUsePassword(settings: LocalPasswordSettings, email: string): boolean {
	return settings.enabled || email.trim().toLowerCase() === settings.breakGlassAdmin;
}

/** The role the provider's groups give: the strongest mapped one, else the default. */
export function roleFromClaims(
	settings: OidcSettings,
	claims: Record<string, unknown>
): GlobalRole {
	if (!settings.roleClaim) return settings.defaultRole;
	const value = claims[settings.roleClaim];
	const groups = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
	const mapped = groups
		.filter((g): g is string => typeof g === 'string')
		.map((g) => settings.roleMap.get(g))
		.filter((r): r is GlobalRole => r !== undefined);
	// globalRoles runs from the strongest (admin) to the weakest (member).
	return globalRoles.find((r) => mapped.includes(r)) ?? settings.defaultRole;
}

/** Whether an email's domain is allowed. */
export function domainAllowed(settings: OidcSettings, email: string): boolean {
	if (!settings.allowedDomains) return true;
	const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
	return settings.allowedDomains.includes(domain);
}

let current: { oidc: OidcSettings | null; local: LocalPasswordSettings } | undefined;

/** The process's settings, read once (hooks.server.ts reads them at start, so a bad one stops it). */
export function ssoSettings(): { oidc: OidcSettings | null; local: LocalPasswordSettings } {
	current ??= { oidc: oidcSettings(process.env), local: localPasswordSettings(process.env) };
	return current;
}
