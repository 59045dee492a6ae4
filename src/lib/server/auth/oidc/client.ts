import * as client from 'openid-client';
import type { OidcSettings } from './settings';

/** What the browser carries between /login/oidc and the callback (flow-cookie.ts). */
export interface OidcFlow {
	state: string;
	nonce: string;
	verifier: string;
	/** Where to go after signing in (already a safe local path). */
	next: string;
}

/** The provider's claims about the person, from the checked ID token and then UserInfo. */
export interface OidcClaims {
	iss: string;
	sub: string;
	[claim: string]: unknown;
}

/** Why the provider's answer was not accepted; oidc/sign-in.ts adds its own reasons. */
export type OidcProtocolRefusal =
	| 'provider_denied'
	| 'state'
	| 'code'
	| 'id_token_issuer'
	| 'id_token_audience'
	| 'id_token_nonce'
	| 'id_token'
	| 'provider_unavailable';

export class OidcRefusal extends Error {
	constructor(
		readonly reason: OidcProtocolRefusal,
		/** Which check failed, in the library's words (for the audit log, never the page). */
		readonly check?: string
	) {
		super(`OpenID sign-in refused: ${reason}`);
	}
}

const configurations = new Map<string, Promise<client.Configuration>>();

/**
 * The provider's configuration from its discovery document, kept while the process lives (a
 * failed discovery is forgotten, so the next sign-in tries again). ID token signatures are
 * checked against the provider's keys (enableNonRepudiationChecks), not only TLS.
 */
export function providerConfiguration(settings: OidcSettings): Promise<client.Configuration> {
	const key = `${settings.issuer.href} ${settings.clientId}`;
	let found = configurations.get(key);
	if (!found) {
		const insecure = settings.issuer.protocol === 'http:';
		found = client.discovery(settings.issuer, settings.clientId, settings.clientSecret, undefined, {
			timeout: 10,
			execute: [
				client.enableNonRepudiationChecks,
				// settings.ts allows http only for 127.0.0.1 and localhost (the tests' provider).
				...(insecure ? [client.allowInsecureRequests] : [])
			]
		});
		found.catch(() => configurations.delete(key));
		configurations.set(key, found);
	}
	return found;
}

/** Starts the authorization code flow with PKCE (S256), state and nonce. */
export async function startFlow(
	config: client.Configuration,
	settings: OidcSettings,
	redirectUri: string,
	next: string
): Promise<{ url: URL; flow: OidcFlow }> {
	const flow: OidcFlow = {
		state: client.randomState(),
		nonce: client.randomNonce(),
		verifier: client.randomPKCECodeVerifier(),
		next
	};
	const url = client.buildAuthorizationUrl(config, {
		redirect_uri: redirectUri,
		scope: settings.scopes,
		response_type: 'code',
		code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
		code_challenge_method: 'S256',
		state: flow.state,
		nonce: flow.nonce
	});
	return { url, flow };
}

function refusalFor(e: unknown): OidcRefusal {
	if (e instanceof OidcRefusal) return e;
	// openid-client wraps oauth4webapi's error, whose message and cause say what failed.
	const inner = e instanceof Error && e.cause instanceof Error ? e.cause : e;
	const check = inner instanceof Error ? inner.message : String(inner);
	if (e instanceof client.AuthorizationResponseError) {
		return new OidcRefusal('provider_denied', `${e.error}: ${e.error_description ?? ''}`);
	}
	if (e instanceof client.ResponseBodyError) {
		const said = `${e.error}: ${e.error_description ?? ''}`;
		return new OidcRefusal(e.error === 'invalid_grant' ? 'code' : 'provider_denied', said);
	}
	if (e instanceof client.ClientError) {
		const claim = (inner as { cause?: { claim?: unknown } }).cause?.claim;
		if (/"state"/.test(check)) return new OidcRefusal('state', check);
		if (claim === 'iss' || /"iss"/.test(check)) return new OidcRefusal('id_token_issuer', check);
		if (claim === 'aud' || /"aud"/.test(check)) return new OidcRefusal('id_token_audience', check);
		if (claim === 'nonce') return new OidcRefusal('id_token_nonce', check);
		if (e.code === 'OAUTH_TIMEOUT' || e.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') {
			return new OidcRefusal('provider_unavailable', check);
		}
		return new OidcRefusal('id_token', check);
	}
	return new OidcRefusal('provider_unavailable', check);
}

/**
 * Completes the flow: the callback's state against the flow's, the code exchanged with the PKCE
 * verifier, the ID token checked (signature through the provider's keys, issuer, audience,
 * expiry, nonce), then UserInfo for the claims the ID token left out. Throws OidcRefusal.
 */
export async function finishFlow(
	config: client.Configuration,
	callbackUrl: URL,
	flow: OidcFlow
): Promise<OidcClaims> {
	try {
		const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
			pkceCodeVerifier: flow.verifier,
			expectedState: flow.state,
			expectedNonce: flow.nonce,
			idTokenExpected: true
		});
		const idToken = tokens.claims();
		if (!idToken) throw new OidcRefusal('id_token');
		let userInfo: Record<string, unknown> = {};
		if (config.serverMetadata().userinfo_endpoint) {
			userInfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
		}
		// The ID token's issuer and subject are what was checked; UserInfo cannot override them.
		return { ...userInfo, ...idToken, iss: idToken.iss, sub: idToken.sub };
	} catch (e) {
		throw refusalFor(e);
	}
}
