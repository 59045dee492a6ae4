import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person at the tests' provider: what its ID tokens and UserInfo say about them. */
export interface TestAccount {
	email?: string;
	email_verified?: boolean;
	name?: string;
	groups?: string[];
}

export interface TestClient {
	clientId: string;
	clientSecret: string;
	redirectUris: string[];
}

export interface TestProvider {
	issuer: string;
	accounts: Map<string, TestAccount>;
	close(): Promise<void>;
}

/**
 * A real OpenID provider (oidc-provider, with its development login and consent pages) on
 * 127.0.0.1: any login name that is a key of `accounts` signs in as that account, with any
 * password. Each instance has its own signing key.
 */
export async function startTestProvider(options: {
	clients: TestClient[];
	accounts: Record<string, TestAccount>;
	port?: number;
}): Promise<TestProvider> {
	const accounts = new Map(Object.entries(options.accounts));
	const server: Server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex') };
	const provider = new Provider(issuer, {
		clients: options.clients.map((c) => ({
			client_id: c.clientId,
			client_secret: c.clientSecret,
			redirect_uris: c.redirectUris,
			grant_types: ['authorization_code'],
			response_types: ['code']
		})),
		jwks: { keys: [jwk] },
		cookies: { keys: [randomBytes(16).toString('hex')] },
		claims: {
			openid: ['sub'],
			email: ['email', 'email_verified'],
			profile: ['name'],
			groups: ['groups']
		},
		features: { devInteractions: { enabled: true } },
		ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
		findAccount: (_ctx: unknown, id: string) => {
			const account = accounts.get(id);
			if (!account) return undefined;
			return { accountId: id, claims: async () => ({ sub: id, ...account }) };
		}
	});
	// Expected refusals (a replayed code, …) are reported by the provider; the tests read them
	// from Rampart's side.
	provider.on('server_error', (e) => console.error('test OpenID provider error', e));
	server.on('request', provider.callback());
	return {
		issuer,
		accounts,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

/** A cookie jar and a browser that follows nothing by itself: every hop is the test's. */
export class TestBrowser {
	private cookies = new Map<string, string>();

	async get(url: string | URL): Promise<Response> {
		return this.send(url, { method: 'GET' });
	}

	async post(url: string | URL, form: Record<string, string>): Promise<Response> {
		return this.send(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(form).toString()
		});
	}

	private async send(url: string | URL, init: RequestInit): Promise<Response> {
		const headers = new Headers(init.headers);
		if (this.cookies.size > 0) {
			headers.set(
				'cookie',
				[...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
			);
		}
		const response = await fetch(url, { ...init, headers, redirect: 'manual' });
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const at = pair!.indexOf('=');
			const name = pair!.slice(0, at).trim();
			const value = pair!.slice(at + 1).trim();
			if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) {
				this.cookies.delete(name);
			} else {
				this.cookies.set(name, value);
			}
		}
		return response;
	}
}

function formAction(html: string, base: string): string {
	const match = /<form[^>]*action="([^"]+)"/.exec(html);
	if (!match) throw new Error(`no form on the provider's page:\n${html.slice(0, 500)}`);
	return new URL(match[1]!.replaceAll('&amp;', '&'), base).href;
}

/**
 * Goes through the provider's pages as a person would: from the authorization URL, through
 * its login and consent forms, up to the redirect back to Rampart, whose URL is returned.
 */
export async function authorizeAt(
	browser: TestBrowser,
	authorizationUrl: URL,
	login: string,
	redirectUri: string
): Promise<URL> {
	let url = authorizationUrl.href;
	for (let hop = 0; hop < 12; hop++) {
		if (url.startsWith(redirectUri)) return new URL(url);
		const response = await browser.get(url);
		if (response.status >= 300 && response.status < 400) {
			url = new URL(response.headers.get('location')!, url).href;
			continue;
		}
		const html = await response.text();
		if (response.status !== 200) throw new Error(`provider answered ${response.status}: ${html}`);
		const action = formAction(html, url);
		const form: Record<string, string> = html.includes('name="login"')
			? { prompt: 'login', login, password: 'any' }
			: { prompt: 'consent' };
		const submitted = await browser.post(action, form);
		if (submitted.status < 300 || submitted.status >= 400) {
			throw new Error(`provider answered ${submitted.status}: ${await submitted.text()}`);
		}
		url = new URL(submitted.headers.get('location')!, action).href;
	}
	throw new Error('too many redirects at the provider');
}
