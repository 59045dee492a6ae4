import { describe, expect, it } from 'vitest';
import {
	domainAllowed,
	localPasswordSettings,
	mayUsePassword,
	oidcSettings,
	roleFromClaims
} from './settings';

const base = {
	OIDC_ISSUER: 'https://login.example.com/realms/acme',
	OIDC_CLIENT_ID: 'rampart',
	OIDC_CLIENT_SECRET: 'not-a-real-secret'
};

describe('single sign-on settings', () => {
	it('is off without OIDC_ISSUER, and has defaults with it', () => {
		expect(oidcSettings({})).toBeNull();
		expect(oidcSettings(base)).toMatchObject({
			scopes: 'openid email profile',
			name: 'single sign-on',
			allowedDomains: null,
			roleClaim: null,
			defaultRole: 'member',
			emailVerifiedClaim: 'email_verified'
		});
		expect(oidcSettings({ ...base, OIDC_EMAIL_VERIFIED_CLAIM: 'xms_edov' })).toMatchObject({
			emailVerifiedClaim: 'xms_edov'
		});
	});

	it.each([
		[{ OIDC_CLIENT_ID: 'x' }, /without OIDC_ISSUER/],
		[{ ...base, OIDC_ISSUER: 'http://login.example.com' }, /must use https/],
		[{ ...base, OIDC_ISSUER: 'not a url' }, /issuer URL/],
		[{ ...base, OIDC_CLIENT_SECRET: '' }, /OIDC_CLIENT_SECRET is required/],
		[{ ...base, OIDC_SCOPES: 'email profile' }, /must include "openid"/],
		[{ ...base, OIDC_ALLOWED_DOMAINS: 'example.com, @bad' }, /"@bad"/],
		[{ ...base, OIDC_ROLE_CLAIM: 'groups', OIDC_ROLE_MAP: 'admins=root' }, /unknown role "root"/],
		[{ ...base, OIDC_ROLE_CLAIM: 'groups', OIDC_ROLE_MAP: 'admins' }, /group=role/],
		[{ ...base, OIDC_ROLE_MAP: 'admins=admin' }, /needs OIDC_ROLE_CLAIM/],
		[{ ...base, OIDC_DEFAULT_ROLE: 'owner' }, /OIDC_DEFAULT_ROLE/]
	])('refuses a bad configuration with a clear message (%#)', (env, message) => {
		expect(() => oidcSettings(env)).toThrow(message);
	});

	it('allows plain http only on the loopback address', () => {
		expect(oidcSettings({ ...base, OIDC_ISSUER: 'http://127.0.0.1:5250' })?.issuer.href).toBe(
			'http://127.0.0.1:5250/'
		);
		expect(oidcSettings({ ...base, OIDC_ISSUER: 'http://localhost:8080/realms/x' })).not.toBeNull();
	});

	it('maps groups to the strongest role, else the default', () => {
		const s = oidcSettings({
			...base,
			OIDC_ROLE_CLAIM: 'groups',
			OIDC_ROLE_MAP: 'rampart-admins=admin,appsec=security,leaders=leadership',
			OIDC_DEFAULT_ROLE: 'member'
		})!;
		expect(roleFromClaims(s, { groups: ['leaders', 'appsec'] })).toBe('security');
		expect(roleFromClaims(s, { groups: ['appsec', 'rampart-admins'] })).toBe('admin');
		expect(roleFromClaims(s, { groups: 'leaders' })).toBe('leadership');
		expect(roleFromClaims(s, { groups: ['staff'] })).toBe('member');
		expect(roleFromClaims(s, { groups: [{ name: 'rampart-admins' }] })).toBe('member');
		expect(roleFromClaims(s, {})).toBe('member');
	});

	it('checks the email domain exactly, not as a suffix', () => {
		const s = oidcSettings({ ...base, OIDC_ALLOWED_DOMAINS: 'Example.com' })!;
		expect(domainAllowed(s, 'ann@example.com')).toBe(true);
		expect(domainAllowed(s, 'ann@EXAMPLE.COM')).toBe(true);
		expect(domainAllowed(s, 'ann@evilexample.com')).toBe(false);
		expect(domainAllowed(s, 'ann@example.com.evil.test')).toBe(false);
		expect(domainAllowed(s, 'ann@sub.example.com')).toBe(false);
	});

	it('turns local passwords off for all but the break-glass admin', () => {
		expect(localPasswordSettings({})).toEqual({ enabled: true, breakGlassAdmin: null });
		expect(() => localPasswordSettings({ LOCAL_PASSWORDS: 'maybe' })).toThrow(/"on" or "off"/);
		expect(() => localPasswordSettings({ LOCAL_PASSWORDS: 'off' })).toThrow(/needs single sign-on/);
		expect(() => localPasswordSettings({ ...base, LOCAL_PASSWORDS: 'off' })).toThrow(
			/BREAK_GLASS_ADMIN/
		);
		const off = localPasswordSettings({
			...base,
			LOCAL_PASSWORDS: 'off',
			BREAK_GLASS_ADMIN: 'Root@Example.com'
		});
		expect(mayUsePassword(off, 'root@example.com')).toBe(true);
		expect(mayUsePassword(off, ' ROOT@example.com ')).toBe(true);
		expect(mayUsePassword(off, 'ann@example.com')).toBe(false);
		expect(mayUsePassword(localPasswordSettings({}), 'ann@example.com')).toBe(true);
	});
});
