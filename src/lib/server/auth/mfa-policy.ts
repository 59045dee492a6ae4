import { globalRoles, type GlobalRole } from '$lib/server/db/schema';

/** Without MFA_REQUIRED_ROLES, these roles must have a second factor. */
export const DEFAULT_MFA_REQUIRED_ROLES: readonly GlobalRole[] = ['admin', 'security'];

/** How long a second factor counts as fresh for changing a password, an email or a second factor. */
export const STEP_UP_MS = 10 * 60 * 1000;

/**
 * The roles that must have a second factor, from MFA_REQUIRED_ROLES (comma-separated; empty:
 * none). An unknown role stops the server at start-up rather than silently requiring nothing.
 */
export function mfaRequiredRoles(env: NodeJS.ProcessEnv = process.env): readonly GlobalRole[] {
	const raw = env.MFA_REQUIRED_ROLES;
	if (raw === undefined) return DEFAULT_MFA_REQUIRED_ROLES;
	const names = raw
		.split(',')
		.map((r) => r.trim())
		.filter(Boolean);
	const unknown = names.filter((r) => !(globalRoles as readonly string[]).includes(r));
	if (unknown.length > 0) {
		throw new Error(
			`MFA_REQUIRED_ROLES names unknown roles (${unknown.join(', ')}): use some of ${globalRoles.join(', ')}, or leave it empty.`
		);
	}
	return names as GlobalRole[];
}

/** Whether a user of this role must set up a second factor before anything else. */
export function mustSetUpSecondFactor(
	role: GlobalRole,
	enrolled: boolean,
	required: readonly GlobalRole[] = mfaRequiredRoles()
): boolean {
	return !enrolled && required.includes(role);
}

/** Whether a session's last second factor is too old for a sensitive change. */
export function needsStepUp(secondFactorAt: Date | null, now = new Date()): boolean {
	return !secondFactorAt || now.getTime() - secondFactorAt.getTime() > STEP_UP_MS;
}
