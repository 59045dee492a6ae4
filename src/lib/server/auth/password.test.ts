import { describe, expect, it } from 'vitest';
import { hashPassword, isCommonPassword, passwordProblem, verifyPassword } from './password';

describe('password hashing', () => {
	it('uses argon2id with at least m=19456, t=2, p=1', async () => {
		const hash = await hashPassword('a long enough passphrase');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/);
		const [, m, t, p] = hash.match(/m=(\d+),t=(\d+),p=(\d+)/)!;
		expect(Number(m)).toBeGreaterThanOrEqual(19456);
		expect(Number(t)).toBeGreaterThanOrEqual(2);
		expect(Number(p)).toBe(1);
	});
	it('verifies the right password and refuses a wrong one or a broken hash', async () => {
		const hash = await hashPassword('correct horse battery staple');
		expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse battery stapler')).toBe(false);
		expect(await verifyPassword('not a hash', 'x')).toBe(false);
	});
	it('never truncates: a change in the 256th character matters', async () => {
		const long = 'x'.repeat(255);
		const hash = await hashPassword(`${long}a`);
		expect(await verifyPassword(hash, `${long}b`)).toBe(false);
		expect(await verifyPassword(hash, `${long}a`)).toBe(true);
	});
});

describe('password rules', () => {
	it('accepts 8 to 256 characters with no composition rules', () => {
		expect(passwordProblem('abcdefgh-lowercase-only')).toBeNull();
		expect(passwordProblem('q'.repeat(256))).toBeNull();
		expect(passwordProblem('short')).toMatch(/at least 8/);
		expect(passwordProblem('q'.repeat(257))).toMatch(/at most 256/);
	});
	it('counts characters, not bytes', () => {
		expect(passwordProblem('ü'.repeat(8))).toBeNull();
		expect(passwordProblem('🔒'.repeat(7))).toMatch(/at least 8/);
	});
	it('refuses common passwords whatever their case', () => {
		expect(isCommonPassword('password1')).toBe(true);
		expect(isCommonPassword('PASSWORD1')).toBe(true);
		expect(passwordProblem('12345678')).toMatch(/too common/);
		expect(isCommonPassword('violet-anvil-orbit-93')).toBe(false);
	});
});
