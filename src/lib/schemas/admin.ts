import { z } from 'zod';
import { email } from './auth';
import { isKebabCase } from './kebab';
import { freeText } from './text';

const globalRole = z.enum(['admin', 'security', 'leadership', 'member'], {
	error: 'Choose one of admin, security, leadership or member.'
});

export const inviteSchema = z.object({ email, role: globalRole });

export const userIdSchema = z.object({ userId: z.uuid({ error: 'Unknown user.' }) });

export const changeRoleSchema = z.object({
	userId: z.uuid({ error: 'Unknown user.' }),
	role: globalRole
});

export const slug = z
	.string({ error: 'Enter a slug.' })
	.trim()
	.min(2, 'Use at least 2 characters.')
	.max(48, 'Use at most 48 characters.')
	.refine(isKebabCase, 'Use lower-case letters, digits and single hyphens, like payments-api.');

const optionalUuid = z.preprocess(
	(v) => (v === '' || v === undefined ? null : v),
	z.uuid({ error: 'Choose an org unit from the list.' }).nullable()
);

/** The name of a team or org unit. */
export const unitName = z
	.string({ error: 'Enter a name.' })
	.trim()
	.min(1, 'Enter a name.')
	.max(100, 'Use at most 100 characters.')
	.superRefine(freeText('name'));

export const orgUnitSchema = z
	.object({
		name: unitName,
		kind: z.enum(['department', 'business_unit'], { error: 'Choose department or business unit.' }),
		parentId: optionalUuid
	})
	.refine((v) => v.kind === 'department' || v.parentId !== null, {
		path: ['parentId'],
		message: 'A business unit belongs to a department: choose one.'
	})
	.refine((v) => v.kind === 'business_unit' || v.parentId === null, {
		path: ['parentId'],
		message: 'A department has no parent.'
	});

export const renameOrgUnitSchema = z.object({
	id: z.uuid({ error: 'Unknown org unit.' }),
	name: unitName
});

export const teamSchema = z.object({
	name: unitName,
	slug,
	orgUnitId: optionalUuid,
	description: z
		.string()
		.trim()
		.max(2000, 'Use at most 2,000 characters.')
		.superRefine(freeText('multiline'))
		.default('')
});

export const addMemberSchema = z.object({
	email,
	role: z.enum(['lead', 'member'], { error: 'Choose lead or member.' }),
	champion: z.preprocess((v) => v === 'on' || v === 'true', z.boolean())
});

export const updateMemberSchema = z.object({
	userId: z.uuid({ error: 'Unknown member.' }),
	role: z.enum(['lead', 'member'], { error: 'Choose lead or member.' }),
	champion: z.preprocess((v) => v === 'on' || v === 'true', z.boolean())
});
