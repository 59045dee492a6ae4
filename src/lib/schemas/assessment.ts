import { z } from 'zod';
import { freeText } from './text';
import { WEB_ADDRESS_MAX, webAddressProblem } from './web-address';

const coverage = z.preprocess(
	(v) => (v === '' || v === undefined ? null : Number(v)),
	z
		.union([z.literal(0), z.literal(0.25), z.literal(0.5), z.literal(1)], {
			error: 'Choose no, some, most or all.'
		})
		.nullable()
);

const evidence = z.preprocess(
	(v) =>
		typeof v === 'string'
			? v
					.split(/\r?\n/)
					.map((l) => l.trim())
					.filter(Boolean)
			: [],
	z
		.array(z.string())
		.max(10, 'At most 10 evidence links.')
		// One message for the whole field, saying which link: the form shows it beside the box.
		.superRefine((links, ctx) => {
			for (const [i, link] of links.entries()) {
				const problem =
					link.length > WEB_ADDRESS_MAX
						? `Use at most ${WEB_ADDRESS_MAX} characters.`
						: webAddressProblem(link, 'http-or-https');
				if (!problem) continue;
				ctx.addIssue({
					code: 'custom',
					message: links.length > 1 ? `Link ${i + 1}: ${problem}` : problem,
					input: links
				});
				return;
			}
		})
);

const version = z.coerce.number({ error: 'Reload the page and try again.' }).int().min(0);

export const answerSchema = z.object({
	criterionId: z.string().min(1).max(100),
	value: coverage,
	comment: z
		.string()
		.max(2000, 'Use at most 2,000 characters.')
		.superRefine(freeText('multiline'))
		.default(''),
	evidence,
	baseVersion: version
});

export const practiceSettingsSchema = z
	.object({
		practiceId: z.string().min(1).max(100),
		notApplicable: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
		reason: z
			.string()
			.max(1000, 'Use at most 1,000 characters.')
			.superRefine(freeText('multiline'))
			.default(''),
		target: z.preprocess(
			(v) => (v === '' || v === undefined ? null : Number(v)),
			z
				.number()
				.int()
				.min(1, 'Choose a level from 1 to 4.')
				.max(4, 'Choose a level from 1 to 4.')
				.nullable()
		),
		baseVersion: version
	})
	.refine((v) => !v.notApplicable || v.reason.trim().length > 0, {
		path: ['reason'],
		message: 'Say why this practice does not apply to your team.'
	});

/**
 * Submitting: how many unanswered criteria the lead confirmed are submitted as "no" (the
 * checkbox sends the number they were shown; unticked, nothing is confirmed).
 */
export const submitSchema = z.object({
	confirmUnanswered: z.preprocess(
		(v) => (v === undefined || v === '' ? 0 : v),
		z.coerce
			.number({ error: 'Reload the page and try again.' })
			.int('Reload the page and try again.')
			.min(0, 'Reload the page and try again.')
			.max(10_000, 'Reload the page and try again.')
	)
});

export const reviewSchema = z.object({
	decision: z.enum(['approve', 'return'], { error: 'Choose approve or return.' }),
	comment: z
		.string()
		.max(4000, 'Use at most 4,000 characters.')
		.superRefine(freeText('multiline'))
		.default('')
});

export const cycleSchema = z
	.object({
		name: z
			.string({ error: 'Enter a name.' })
			.trim()
			.superRefine(freeText('name'))
			.regex(/^\d{4}-Q[1-4]$/, 'Use the form 2026-Q4.'),
		startsOn: z.iso.date({ error: 'Enter a start date.' }),
		dueOn: z.iso.date({ error: 'Enter a due date.' })
	})
	.refine((v) => v.dueOn > v.startsOn, {
		path: ['dueOn'],
		message: 'The due date must be after the start.'
	});

/** Reads the fields of one criterion or practice out of the whole-phase form (no JavaScript). */
export function pick(form: FormData, suffix: string, names: readonly string[]): FormData {
	const out = new FormData();
	for (const name of names) {
		const v = form.get(`${name}:${suffix}`);
		if (v !== null) out.set(name, v);
	}
	return out;
}
