import { z } from 'zod';
import { freeText } from './text';

export const QUESTION_BODY_MAX = 2000;

/** A message in a question's thread: the question, a follow-up or the team's answer. */
export const questionBody = z
	.string({ error: 'Write your message first.' })
	.trim()
	.min(1, 'Write your message first: an empty message is not sent.')
	.max(QUESTION_BODY_MAX, 'Use at most 2,000 characters.')
	.superRefine(freeText('multiline'));

const questionId = z.uuid({ error: 'Unknown question: reload the page and try again.' });

/** The reviewer asks about one criterion. */
export const askSchema = z.object({
	criterionId: z
		.string({ error: 'Unknown criterion.' })
		.min(1, 'Unknown criterion.')
		.max(100, 'Unknown criterion.'),
	body: questionBody
});

/** A message added to a thread: the reviewer's follow-up or the team's answer. */
export const questionMessageSchema = z.object({ questionId, body: questionBody });

/** The reviewer withdraws a question. */
export const withdrawSchema = z.object({ questionId });
