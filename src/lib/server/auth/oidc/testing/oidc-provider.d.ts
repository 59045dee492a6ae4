// The few parts of oidc-provider 9 (no type declarations of its own) the tests' provider uses.
declare module 'oidc-provider' {
	import type { IncomingMessage, ServerResponse } from 'node:http';

	interface Account {
		accountId: string;
		claims(use: string, scope: string): Promise<Record<string, unknown>>;
	}

	export default class Provider {
		constructor(issuer: string, configuration: Record<string, unknown>);
		callback(): (req: IncomingMessage, res: ServerResponse) => void;
		on(event: string, listener: (...args: unknown[]) => void): this;
	}
	export type { Account };
}
