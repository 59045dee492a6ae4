import { mustSetUpSecondFactor } from './mfa-policy';
import type { ValidSession } from './session';

type SessionLocals = Pick<
	App.Locals,
	'user' | 'session' | 'pendingSecondFactor' | 'secondFactorEnrolled' | 'secondFactorSetupRequired'
>;

/**
 * What a request knows about who sent it, from its session (hooks.server.ts). A session still
 * waiting for its second factor gives no user: every guard refuses it (guard.ts), and only
 * /login/two-factor and /logout take it.
 */
export function sessionLocals(result: ValidSession | null): SessionLocals {
	if (!result) return { user: null, session: null, pendingSecondFactor: null };
	const { session, user } = result;
	if (result.pendingSecondFactor) {
		return {
			user: null,
			session: null,
			pendingSecondFactor: { sessionId: session.id, userId: user.id, email: user.email }
		};
	}
	return {
		user,
		session,
		pendingSecondFactor: null,
		secondFactorEnrolled: result.secondFactorEnrolled,
		secondFactorSetupRequired: mustSetUpSecondFactor(user.role, result.secondFactorEnrolled)
	};
}
