import { z } from 'zod';
import { planSources, planStatusList } from '$lib/plan';
import type { PlanStatus } from '$lib/server/db/schema';
import { freeText } from './text';

const emptyAsNull = (v: unknown) => (v === '' || v === undefined ? null : v);

const action = z
	.string({ error: 'Say what will be done.' })
	.trim()
	.min(1, 'Say what will be done.')
	.max(500, 'Use at most 500 characters.')
	.superRefine(freeText('multiline'));
const ownerId = z.uuid({ error: 'Choose a member of the team.' });
const dueOn = z.iso.date({ error: 'Enter a due date.' });
const version = z.coerce.number({ error: 'Reload the page and try again.' }).int().min(1);
const itemId = z.uuid({ error: 'Unknown plan item.' });

/** A new plan item: from a next step, a target, a reviewer's question, or by hand. */
export const createPlanItemSchema = z.object({
	practiceId: z.string({ error: 'Choose a practice.' }).min(1, 'Choose a practice.').max(100),
	criterionId: z.preprocess(emptyAsNull, z.string().max(100).nullable()),
	action,
	ownerId,
	dueOn,
	source: z.enum(planSources, { error: 'Unknown source.' }).default('manual'),
	questionId: z.preprocess(emptyAsNull, z.uuid({ error: 'Unknown question.' }).nullable())
});

/** What will be done, by whom and when, for one item. */
export const editPlanItemSchema = z.object({
	itemId,
	action,
	ownerId,
	dueOn,
	baseVersion: version
});

/** One item's new status. */
export const planStatusSchema = z.object({
	itemId,
	status: z.enum(planStatusList as [PlanStatus, ...PlanStatus[]], { error: 'Choose a status.' }),
	baseVersion: version
});
