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
			/** A session whose second factor is still to come: it opens /login/two-factor and nothing else. */
			pendingSecondFactor?: { sessionId: string; userId: string; email: string } | null;
			/** The signed-in user has a second factor. */
			secondFactorEnrolled?: boolean;
			/** The user's role requires a second factor they do not have (MFA_REQUIRED_ROLES). */
			secondFactorSetupRequired?: boolean;
			/** The client address used for throttling and the audit log. */
			ip: string;
			/** Set when a write failed on a full disk: the response becomes a 503 (storage-full.ts). */
			storageFull?: boolean;
			/** The request's id, in its log line and its X-Request-Id header (observability/request-log.ts). */
			requestId?: string;
			/** The id handleError gave an unexpected error, for the API's JSON answer (http/api.ts). */
			errorId?: string;
		}
	}
}

export {};
