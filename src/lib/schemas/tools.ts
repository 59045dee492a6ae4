import { z } from 'zod';
import { isKebabCase } from './kebab';

const optionalDate = z.preprocess(
	(v) => (v === '' || v === undefined ? null : v),
	z.iso.date({ error: 'Enter a date.' }).nullable()
);

export const adoptionSchema = z.object({
	toolId: z.string().min(1, 'Unknown tool.').max(100),
	state: z.enum(['not_used', 'evaluating', 'adopted', 'enforced'], {
		error: 'Choose not used, evaluating, adopted or enforced.'
	}),
	since: optionalDate,
	note: z.string().trim().max(500, 'Use at most 500 characters.').default('')
});

export const toolSchema = z.object({
	id: z
		.string({ error: 'Enter an id.' })
		.trim()
		.min(2, 'Use at least 2 characters.')
		.max(60, 'Use at most 60 characters.')
		.refine(isKebabCase, 'Use lower-case letters, digits and single hyphens.'),
	name: z.string().trim().min(1, 'Enter a name.').max(100, 'Use at most 100 characters.'),
	categoryId: z.string().min(1, 'Choose a category.'),
	homepage: z
		.string()
		.trim()
		.refine((u) => u.startsWith('https://') && URL.canParse(u), 'Enter an https:// address.'),
	licence: z.enum(['open-source', 'commercial'], { error: 'Choose open source or commercial.' }),
	description: z.string().trim().max(500, 'Use at most 500 characters.').default('')
});

export const responsibilitySchema = z.object({
	practiceId: z.string().min(1).max(100),
	party: z.enum(['delivery', 'security', 'operations', 'shared', 'nobody'], {
		error: 'Choose who is responsible.'
	}),
	accountableUserId: z.preprocess(
		(v) => (v === '' || v === undefined ? null : v),
		z.uuid({ error: 'Choose a member of this team.' }).nullable()
	)
});

export const rotaSchema = z.object({
	rotationWeeks: z.coerce
		.number()
		.refine((n) => n === 1 || n === 2, 'Turns last one or two weeks.'),
	startsOn: z.iso.date({ error: 'Enter the first day of the rota.' })
});

export const swapSchema = z.object({
	turnStart: z.iso.date({ error: 'Choose a turn.' }),
	userId: z.uuid({ error: 'Choose who takes the turn.' })
});

/** Reads the rota order from `position:<userId>` fields: blank means not on the rota. */
export function rotaOrder(form: FormData): { members: string[]; error?: string } {
	const entries: [string, number][] = [];
	for (const [key, value] of form.entries()) {
		if (!key.startsWith('position:') || typeof value !== 'string' || value.trim() === '') continue;
		const n = Number(value);
		if (!Number.isInteger(n) || n < 1 || n > 100)
			return { members: [], error: 'Positions are whole numbers from 1.' };
		entries.push([key.slice('position:'.length), n]);
	}
	if (new Set(entries.map(([, n]) => n)).size !== entries.length) {
		return { members: [], error: 'Give each person a different position.' };
	}
	return { members: entries.sort((a, b) => a[1] - b[1]).map(([id]) => id) };
}
