import { describe, expect, it } from 'vitest';
import { addMemberSchema, inviteSchema, orgUnitSchema, teamSchema } from './admin';
import { changePasswordSchema, loginSchema, setupSchema } from './auth';
import { parseForm } from './parse';

const form = (entries: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(entries)) f.append(k, v);
	return f;
};

describe('form schemas', () => {
	it('normalises emails to lower case and rejects malformed ones beside the field', () => {
		const ok = parseForm(loginSchema, form({ email: '  Ada@Example.COM ', password: 'x' }));
		expect(ok).toEqual({ ok: true, data: { email: 'ada@example.com', password: 'x' } });
		const bad = parseForm(inviteSchema, form({ email: 'not-an-email', role: 'member' }));
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.errors.email).toMatch(/valid email/);
	});

	it('never echoes a password back', () => {
		const bad = parseForm(
			setupSchema,
			form({ name: '', email: 'a@b.co', password: 'short', confirm: 'short' })
		);
		expect(bad.ok).toBe(false);
		if (bad.ok) return;
		expect(bad.values).toEqual({ name: '', email: 'a@b.co' });
		expect(bad.errors.name).toBeDefined();
		expect(bad.errors.password).toMatch(/at least 8/);
	});

	it('requires the confirmation to match', () => {
		const bad = parseForm(
			changePasswordSchema,
			form({ current: 'old password', password: 'new long password', confirm: 'new long passwort' })
		);
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.errors.confirm).toMatch(/differ/);
	});

	it('accepts only the four global roles', () => {
		const bad = parseForm(inviteSchema, form({ email: 'a@b.co', role: 'superuser' }));
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.errors.role).toBeDefined();
	});

	it('validates slugs strictly', () => {
		const slug = (s: string) =>
			parseForm(teamSchema, form({ name: 'T', slug: s, orgUnitId: '', description: '' })).ok;
		expect(slug('payments-api')).toBe(true);
		expect(slug('a1')).toBe(true);
		for (const s of ['Payments', '-lead', 'trail-', 'dou--ble', 'x', 'sp ace', '../etc', 'ünï']) {
			expect(slug(s), s).toBe(false);
		}
	});

	it('ties business units to a department and departments to nothing', () => {
		const unit = (kind: string, parentId: string) =>
			parseForm(orgUnitSchema, form({ name: 'U', kind, parentId }));
		expect(unit('department', '').ok).toBe(true);
		expect(unit('business_unit', '').ok).toBe(false);
		expect(unit('business_unit', '6d6f3c1e-1111-4aaa-8bbb-123456789abc').ok).toBe(true);
		expect(unit('department', '6d6f3c1e-1111-4aaa-8bbb-123456789abc').ok).toBe(false);
	});

	it('reads a checkbox as a boolean', () => {
		const on = parseForm(addMemberSchema, form({ email: 'a@b.co', role: 'lead', champion: 'on' }));
		const off = parseForm(addMemberSchema, form({ email: 'a@b.co', role: 'member' }));
		expect(on.ok && on.data.champion).toBe(true);
		expect(off.ok && off.data.champion).toBe(false);
	});
});
