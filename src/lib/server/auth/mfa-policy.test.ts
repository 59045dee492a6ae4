import { describe, expect, it } from 'vitest';
import { STEP_UP_MS, mfaRequiredRoles, mustSetUpSecondFactor, needsStepUp } from './mfa-policy';

describe('MFA policy by role', () => {
	it('requires admin and security by default; an empty MFA_REQUIRED_ROLES requires nobody', () => {
		expect(mfaRequiredRoles({})).toEqual(['admin', 'security']);
		expect(mfaRequiredRoles({ MFA_REQUIRED_ROLES: '' })).toEqual([]);
		expect(mfaRequiredRoles({ MFA_REQUIRED_ROLES: ' leadership , admin ' })).toEqual([
			'leadership',
			'admin'
		]);
	});
	it('refuses a role it does not know rather than requiring nothing', () => {
		expect(() => mfaRequiredRoles({ MFA_REQUIRED_ROLES: 'admins' })).toThrow(
			/unknown roles \(admins\)/
		);
	});
	it('sends only a required role without a factor to set one up', () => {
		expect(mustSetUpSecondFactor('admin', false, ['admin'])).toBe(true);
		expect(mustSetUpSecondFactor('admin', true, ['admin'])).toBe(false);
		expect(mustSetUpSecondFactor('member', false, ['admin'])).toBe(false);
	});
	it('asks for a fresh factor when the last one is older than the step-up window, or never was', () => {
		const now = new Date('2026-03-01T12:00:00Z');
		expect(needsStepUp(null, now)).toBe(true);
		expect(needsStepUp(new Date(now.getTime() - STEP_UP_MS), now)).toBe(false);
		expect(needsStepUp(new Date(now.getTime() - STEP_UP_MS - 1), now)).toBe(true);
	});
});
