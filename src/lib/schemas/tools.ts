import { z } from 'zod';
import { isKebabCase } from './kebab';
import { freeText } from './text';
import { webAddress } from './web-address';

const optionalDate = z.preprocess(
	(v) => (v === '' || v === undefined ? null : v),
	z.iso.date({ error: 'Enter a date.' }).nullable()
);

export const adoptionSchema = z.object({
	toolId: z.string().min(1, 'Unknown tool.').max(100).refine(isKebabCase, 'Unknown tool.'),
	state: z.enum(['not_used', 'evaluating', 'adopted', 'enforced'], {
		error: 'Choose not used, evaluating, adopted or enforced.'
	}),
	since: optionalDate,
	note: z
		.string()
		.trim()
		.max(500, 'Use at most 500 characters.')
		.superRefine(freeText('multiline'))
		.default('')
});

/** A tool a team starts to record, from the catalogue search. */
export const addToolSchema = z.object({
	toolId: adoptionSchema.shape.toolId,
	state: z.enum(['evaluating', 'adopted', 'enforced'], {
		error: 'Choose evaluating, adopted or enforced.'
	})
});

/** The catalogue search on a team's tools page (`?q=`). */
export const toolSearchSchema = z
	.string()
	.trim()
	.max(100, 'Use at most 100 characters.')
	.superRefine(freeText('line'));

export const toolSchema = z.object({
	id: z
		.string({ error: 'Enter an id.' })
		.trim()
		.min(2, 'Use at least 2 characters.')
		.max(60, 'Use at most 60 characters.')
		.refine(isKebabCase, 'Use lower-case letters, digits and single hyphens.'),
	name: z
		.string({ error: 'Enter a name.' })
		.trim()
		.min(1, 'Enter a name.')
		.max(100, 'Use at most 100 characters.')
		.superRefine(freeText('name')),
	categoryId: z
		.string({ error: 'Choose a category.' })
		.min(1, 'Choose a category.')
		.refine(isKebabCase, 'Choose a category from the list.'),
	homepage: webAddress('https'),
	licence: z.enum(['open-source', 'commercial'], { error: 'Choose open source or commercial.' }),
	description: z
		.string()
		.trim()
		.max(500, 'Use at most 500 characters.')
		.superRefine(freeText('multiline'))
		.default('')
});

/** An admin maps a scanner name seen in uploads to a catalogue tool. */
export const scannerMappingSchema = z.object({
	scanner: z
		.string({ error: 'Unknown scanner name.' })
		.trim()
		.min(1, 'Unknown scanner name.')
		.max(200, 'Unknown scanner name.'),
	toolId: z
		.string({ error: 'Choose a tool.' })
		.min(1, 'Choose a tool.')
		.max(100, 'Choose a tool from the list.')
		.refine(isKebabCase, 'Choose a tool from the list.')
});

/** An admin's own mapping to remove, by its key. */
export const scannerNameSchema = z.object({
	scanner: scannerMappingSchema.shape.scanner
});

/** Names a tool of the catalogue (retire, restore). */
export const toolIdSchema = z.object({
	id: z.string({ error: 'Unknown tool.' }).refine(isKebabCase, 'Unknown tool.')
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

const userId = z.uuid();

/** Reads the rota order from `position:<userId>` fields: blank means not on the rota. */
export function rotaOrder(form: FormData): { members: string[]; error?: string } {
	const entries: [string, number][] = [];
	for (const [key, value] of form.entries()) {
		if (!key.startsWith('position:') || typeof value !== 'string' || value.trim() === '') continue;
		const n = Number(value);
		if (!Number.isInteger(n) || n < 1 || n > 100)
			return { members: [], error: 'Positions are whole numbers from 1.' };
		const id = key.slice('position:'.length);
		// The id goes to the database: anything but a user id is refused here, not there.
		if (!userId.safeParse(id).success)
			return { members: [], error: 'Choose people from the team list.' };
		entries.push([id, n]);
	}
	if (new Set(entries.map(([, n]) => n)).size !== entries.length) {
		return { members: [], error: 'Give each person a different position.' };
	}
	return { members: entries.sort((a, b) => a[1] - b[1]).map(([id]) => id) };
}
