import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_MAX, PASSWORD_MIN } from '$lib/schemas/auth';

// OWASP Password Storage Cheat Sheet minimum for argon2id: m=19 MiB, t=2, p=1.
const ARGON2_OPTIONS = {
	algorithm: 2 /* argon2id */,
	memoryCost: 19456,
	timeCost: 2,
	parallelism: 1
};

let common: Set<string> | undefined;

/** Whether the password is on a list of ~18,000 commonly used passwords (case-insensitive). */
export function isCommonPassword(password: string): boolean {
	common ??= new Set(
		dictionary['passwords-common']
			.filter((p) => p.length >= PASSWORD_MIN)
			.map((p) => p.toLowerCase())
	);
	return common.has(password.toLowerCase());
}

/** Length in characters as a person counts them (code points), never truncated. */
export function passwordLength(password: string): number {
	return [...password].length;
}

/** Why a new password is refused, or null when it is acceptable. No composition rules. */
export function passwordProblem(password: string): string | null {
	const length = passwordLength(password);
	if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
	if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
	if (isCommonPassword(password)) return 'This password is too common; choose another.';
	return null;
}

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
	return hash(password.normalize('NFKC'), ARGON2_OPTIONS);
}

/** Checks a password against an argon2id hash; false on any malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password.normalize('NFKC'));
	} catch {
		return false;
	}
}

// A hash of a random string nobody knows, with the same parameters as real hashes, so an
// unknown email costs one full verification like a known one.
const DUMMY_HASH =
	'$argon2id$v=19$m=19456,t=2,p=1$YVRkMQPRmm6JFkUMGCCSqQ$h4S2TOe5/FcZw8KrAc3WhD4FydXTYtJxx5Mg+VBKMAE';

/** Spends the same time as a real verification, so unknown emails cannot be told apart. */
export async function verifyAgainstDummy(password: string): Promise<false> {
	await verifyPassword(DUMMY_HASH, password);
	return false;
}
