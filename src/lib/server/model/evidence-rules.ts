import { z } from 'zod';
import { isKebabCase } from '$lib/schemas/kebab';
import { ProblemList, formatPath, type ContentProblem } from '$lib/server/content/problems';
import { criteriaOf } from './criteria';
import { evidenceBranches, type Criterion, type EvidenceRule, type Model } from './types';

const ruleSchema = z.strictObject(
	{
		categories: z
			.array(z.string().refine(isKebabCase, 'must be a tool category id (lower-case kebab-case)'), {
				error: 'must be a list of tool category ids'
			})
			.min(1, 'name at least one tool category'),
		branch: z.enum(evidenceBranches, { error: 'must be default, pull-requests or any' }),
		maxAgeDays: z
			.number({ error: 'must be a whole number of days' })
			.int('must be a whole number of days')
			.positive('must be a positive number of days')
	},
	{
		error: (issue) =>
			issue.code === 'unrecognized_keys'
				? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}: a rule has categories, branch and maxAgeDays`
				: 'must be an object with categories, branch and maxAgeDays'
	}
);

/** Reads a criterion's `evidence` from YAML; problems carry their path inside it (`.branch`). */
export function parseEvidenceRule(
	data: unknown
): { ok: true; rule: EvidenceRule } | { ok: false; problems: Omit<ContentProblem, 'file'>[] } {
	const r = ruleSchema.safeParse(data);
	if (r.success) return { ok: true, rule: r.data };
	return {
		ok: false,
		problems: r.error.issues.map((i) => ({
			path: i.path.length ? `.${formatPath(i.path)}` : '',
			message: i.message
		}))
	};
}

/** The criteria a pipeline can confirm, in model order. */
export function criteriaWithRules(model: Model): (Criterion & { evidence: EvidenceRule })[] {
	return criteriaOf(model.practices).filter(
		(c): c is Criterion & { evidence: EvidenceRule } => c.evidence !== undefined
	);
}

/**
 * Checks that every evidence rule names tool categories of the catalogue (the model alone does
 * not know them); a problem names the practice file, the criterion and the category.
 */
export function checkEvidenceCategories(
	model: Model,
	categoryIds: Iterable<string>
): (Criterion & { evidence: EvidenceRule })[] {
	const known = new Set(categoryIds);
	const problems = new ProblemList();
	for (const p of model.practices)
		p.levels.forEach((l, li) =>
			l.criteria.forEach((c, ci) =>
				c.evidence?.categories.forEach((category, i) => {
					if (!known.has(category))
						problems.add(
							`model/practices/${p.id}.yaml`,
							`levels[${li}].criteria[${ci}].evidence.categories[${i}]`,
							`criterion ${c.id}: unknown tool category "${category}" (see tools/categories.yaml)`
						);
				})
			)
		);
	problems.throwIfAny();
	return criteriaWithRules(model);
}

/** The summary line `content:check` prints for the evidence rules. */
export function evidenceSummary(rules: readonly { evidence: EvidenceRule }[]): string {
	const categories = new Set(rules.flatMap((r) => r.evidence.categories));
	return `evidence: ${rules.length} criteria with evidence rules over ${categories.size} tool categories`;
}
