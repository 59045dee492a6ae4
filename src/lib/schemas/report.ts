import { z } from 'zod';
import { freeText } from './text';

/** The longest executive summary: about two printed pages. */
export const SUMMARY_MAX = 8000;

/** The security team's executive summary of a cycle (markdown) and the version it was edited from. */
export const reportSummarySchema = z.object({
	summary: z
		.string({ error: 'Write the summary, or leave it empty.' })
		.trim()
		.max(SUMMARY_MAX, `Use at most ${SUMMARY_MAX.toLocaleString('en')} characters.`)
		.superRefine(freeText('multiline')),
	/** When the summary the editor started from was saved ('' if never). */
	seen: z.string().max(40).default('')
});
