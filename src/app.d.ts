import type { Database } from '$lib/server/db';
import type { Session, SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Quoted by the user when reporting an unexpected error; the details stay in the log. */
			errorId?: string;
		}
		interface Locals {
			db: Database;
			user: SessionUser | null;
			session: Session | null;
			/** The client address used for throttling and the audit log. */
			ip: string;
			/** Set when a write failed on a full disk: the response becomes a 503 (storage-full.ts). */
			storageFull?: boolean;
			/** The id handleError gave an unexpected error, for the API's JSON answer (http/api.ts). */
			errorId?: string;
		}
	}
}

export {};
