import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
	addMemberSchema,
	inviteSchema,
	orgUnitSchema,
	renameOrgUnitSchema,
	teamSchema
} from './admin';
import { answerSchema, cycleSchema, practiceSettingsSchema, reviewSchema } from './assessment';
import { acceptInvitationSchema, loginSchema, profileSchema, setupSchema } from './auth';
import { parseForm } from './parse';
import { askSchema, questionMessageSchema } from './question';
import { adoptionSchema, toolIdSchema, toolSchema } from './tools';
import { dismissFindingSchema, newTokenSchema } from './integrations';

const uuid = '6d6f3c1e-1111-4aaa-8bbb-123456789abc';
const password = { password: 'a long enough password', confirm: 'a long enough password' };

/** Every free-text field of every form: a form that passes as it is, the field, and its kind. */
const fields: [string, z.ZodType, Record<string, string>, string, 'name' | 'line' | 'multiline'][] =
	[
		['sign-in', loginSchema, { email: 'ada@example.com', password: 'x' }, 'email', 'line'],
		['setup', setupSchema, { name: 'Ada', email: 'ada@example.com', ...password }, 'name', 'name'],
		['setup', setupSchema, { name: 'Ada', email: 'ada@example.com', ...password }, 'email', 'line'],
		['invitation', acceptInvitationSchema, { name: 'Ada', ...password }, 'name', 'name'],
		['profile', profileSchema, { name: 'Ada' }, 'name', 'name'],
		['invite', inviteSchema, { email: 'ada@example.com', role: 'member' }, 'email', 'line'],
		['add member', addMemberSchema, { email: 'ada@example.com', role: 'member' }, 'email', 'line'],
		['org unit', orgUnitSchema, { name: 'Payments', kind: 'department' }, 'name', 'name'],
		['rename unit', renameOrgUnitSchema, { id: uuid, name: 'Payments' }, 'name', 'name'],
		['team', teamSchema, { name: 'Checkout', slug: 'checkout' }, 'name', 'name'],
		['team', teamSchema, { name: 'Checkout', slug: 'checkout' }, 'description', 'multiline'],
		[
			'cycle',
			cycleSchema,
			{ name: '2026-Q4', startsOn: '2026-10-01', dueOn: '2026-12-01' },
			'name',
			'name'
		],
		['answer', answerSchema, { criterionId: 'c1', baseVersion: '0' }, 'comment', 'multiline'],
		[
			'practice',
			practiceSettingsSchema,
			{ practiceId: 'p1', baseVersion: '0' },
			'reason',
			'multiline'
		],
		['review', reviewSchema, { decision: 'return' }, 'comment', 'multiline'],
		['question', askSchema, { criterionId: 'c1', body: 'Why?' }, 'body', 'multiline'],
		[
			'question message',
			questionMessageSchema,
			{ questionId: uuid, body: 'Because.' },
			'body',
			'multiline'
		],
		['adoption', adoptionSchema, { toolId: 'semgrep', state: 'adopted' }, 'note', 'multiline'],
		['API token', newTokenSchema, { name: 'CI', scopes: 'read' }, 'name', 'name'],
		[
			'dismissal',
			dismissFindingSchema,
			{ findingId: uuid, reason: 'False positive' },
			'reason',
			'multiline'
		],
		[
			'tool',
			toolSchema,
			{
				id: 'in-house',
				name: 'In-house',
				categoryId: 'sast',
				homepage: 'https://a.example/',
				licence: 'commercial'
			},
			'name',
			'name'
		],
		[
			'tool',
			toolSchema,
			{
				id: 'in-house',
				name: 'In-house',
				categoryId: 'sast',
				homepage: 'https://a.example/',
				licence: 'commercial'
			},
			'description',
			'multiline'
		]
	];

const form = (entries: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(entries)) f.append(k, v);
	return f;
};

describe('every free-text field follows the shared rule', () => {
	it.each(fields)('%s: %s is accepted as it is', (_, schema, base) => {
		expect(parseForm(schema, form(base)).ok).toBe(true);
	});

	it.each(fields)(
		'%s: %s refuses NUL and control characters beside the field',
		(_, schema, base, field) => {
			const good = base[field] ?? 'text';
			for (const bad of ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009b']) {
				const parsed = parseForm(schema, form({ ...base, [field]: `${good}${bad}x` }));
				expect(parsed.ok, JSON.stringify(bad)).toBe(false);
				if (!parsed.ok) expect(parsed.errors[field]).toMatch(/^Remove the (NUL|invisible control)/);
			}
		}
	);

	it.each(fields)(
		'%s: %s takes tab and line breaks only if it is multi-line',
		(_, schema, base, field, kind) => {
			for (const inner of ['\t', '\n', '\r\n', '\u2028']) {
				const parsed = parseForm(schema, form({ ...base, [field]: `first${inner}second` }));
				if (kind === 'multiline') expect(parsed.ok, JSON.stringify(inner)).toBe(true);
				else expect(parsed.ok ? null : parsed.errors[field]).toMatch(/one line|tab character/);
			}
		}
	);

	it.each(fields.filter((f) => f[4] === 'name'))(
		'%s: %s refuses direction overrides and the replacement character',
		(_, schema, base, field) => {
			for (const [bad, message] of [
				['\u202e', /text-direction character U\+202E/],
				['\u2067', /text-direction character U\+2067/],
				['\ufffd', /replacement character/]
			] as const) {
				const parsed = parseForm(schema, form({ ...base, [field]: `${base[field]}${bad}` }));
				expect(parsed.ok).toBe(false);
				if (!parsed.ok) expect(parsed.errors[field]).toMatch(message);
			}
		}
	);
});

describe('ids that go to the database are checked before they do', () => {
	it.each([
		[adoptionSchema, { toolId: 'semgrep\u0000', state: 'adopted' }, 'toolId'],
		[toolIdSchema, { id: 'semgrep\u0000' }, 'id'],
		[
			toolSchema,
			{
				id: 'x-tool',
				name: 'X',
				categoryId: 'sast\u0000',
				homepage: 'https://a.example/',
				licence: 'commercial'
			},
			'categoryId'
		]
	] as const)('%#: refuses a NUL in %s', (schema, values, field) => {
		const parsed = parseForm(schema, form(values));
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.errors[field]).toBeDefined();
	});
});
