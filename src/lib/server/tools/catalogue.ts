import { z } from 'zod';
import { isKebabCase } from '$lib/schemas/kebab';
import { webAddressProblem } from '$lib/schemas/web-address';
import { ProblemList, formatPath } from '$lib/server/content/problems';
import { contentRoot, readYaml } from '$lib/server/model/load-model';
import { scannerKey } from './scanner-key';

export const licences = ['open-source', 'commercial'] as const;

const categorySchema = z.object({
	id: z.string().refine(isKebabCase, 'must be lower-case kebab-case'),
	name: z.string().min(1),
	description: z.string().min(1),
	practices: z.array(z.string()).min(1, 'map the category to at least one practice')
});

const toolSchema = z.object({
	id: z.string().refine(isKebabCase, 'must be lower-case kebab-case'),
	name: z.string().min(1),
	category: z.string(),
	// The rule a homepage typed into the app follows, so the starter catalogue shows no link it would refuse.
	homepage: z.string().superRefine((u, ctx) => {
		const problem = webAddressProblem(u, 'https');
		if (problem) ctx.addIssue({ code: 'custom', message: problem, input: u });
	}),
	licence: z.enum(licences, { error: 'must be open-source or commercial' }),
	description: z.string().min(1),
	// The names the tool gives itself in its reports (SARIF tool.driver.name, CycloneDX tool name).
	scanners: z
		.array(z.string().trim().min(1, 'must not be empty').max(200, 'use at most 200 characters'))
		.optional()
});

export type ToolCategory = z.infer<typeof categorySchema>;
export type CatalogueTool = z.infer<typeof toolSchema>;

export interface Catalogue {
	categories: ToolCategory[];
	tools: CatalogueTool[];
}

/** Checks the starter catalogue against itself and the model's practice ids; reports every problem. */
export function validateCatalogue(
	files: { categories: { file: string; data: unknown }; tools: { file: string; data: unknown } },
	practiceIds: ReadonlySet<string>
): Catalogue {
	const problems = new ProblemList();
	// Each entry is checked on its own, so one bad tool does not hide the others' problems.
	const list = <T>(schema: z.ZodType<T>, file: string, data: unknown, key: string): T[] => {
		const items = (data as Record<string, unknown> | null)?.[key];
		if (!Array.isArray(items)) {
			problems.add(file, key, 'must be a list');
			return [];
		}
		return items.flatMap((item, i) => {
			const r = schema.safeParse(item);
			if (r.success) return [r.data];
			for (const issue of r.error.issues)
				problems.add(file, formatPath([key, i, ...issue.path]), issue.message);
			return [];
		});
	};
	const categories = list(
		categorySchema,
		files.categories.file,
		files.categories.data,
		'categories'
	);
	const tools = list(toolSchema, files.tools.file, files.tools.data, 'tools');
	const seen = new Set<string>();
	categories.forEach((c, i) => {
		if (seen.has(c.id))
			problems.add(files.categories.file, `categories[${i}].id`, `duplicate category id "${c.id}"`);
		seen.add(c.id);
		c.practices.forEach((p, j) => {
			if (!practiceIds.has(p))
				problems.add(
					files.categories.file,
					`categories[${i}].practices[${j}]`,
					`unknown practice "${p}"`
				);
		});
	});
	const toolIds = new Set<string>();
	tools.forEach((t, i) => {
		if (toolIds.has(t.id))
			problems.add(files.tools.file, `tools[${i}].id`, `duplicate tool id "${t.id}"`);
		toolIds.add(t.id);
		if (!seen.has(t.category))
			problems.add(files.tools.file, `tools[${i}].category`, `unknown category "${t.category}"`);
	});
	checkScannerClaims(tools, files.tools.file, problems);
	for (const [i, c] of categories.entries()) {
		if (!tools.some((t) => t.category === c.id))
			problems.add(files.categories.file, `categories[${i}]`, `category "${c.id}" has no tools`);
	}
	problems.throwIfAny();
	return { categories, tools };
}

/**
 * A scanner name (compared as scannerKey does) belongs to one tool: claimed twice, or claimed by
 * a tool while it is another tool's name, it would map past scans by the order of the file.
 */
function checkScannerClaims(tools: CatalogueTool[], file: string, problems: ProblemList) {
	const toolByName = new Map(tools.map((t) => [scannerKey(t.name), t.id]));
	const claimedBy = new Map<string, string>();
	tools.forEach((t, i) => {
		t.scanners?.forEach((name, j) => {
			const key = scannerKey(name);
			const place = `tools[${i}].scanners[${j}]`;
			const owner = claimedBy.get(key);
			if (owner === t.id) problems.add(file, place, `scanner name "${name}" is listed twice`);
			else if (owner)
				problems.add(file, place, `scanner name "${name}" is already claimed by tool "${owner}"`);
			else {
				const named = toolByName.get(key);
				if (named && named !== t.id)
					problems.add(file, place, `scanner name "${name}" is the name of tool "${named}"`);
			}
			claimedBy.set(key, owner ?? t.id);
		});
	});
}

/** Reads and validates `content/tools/`. */
export function loadCatalogue(practiceIds: ReadonlySet<string>, root = contentRoot): Catalogue {
	return validateCatalogue(
		{
			categories: { file: 'tools/categories.yaml', data: readYaml(root, 'tools/categories.yaml') },
			tools: { file: 'tools/tools.yaml', data: readYaml(root, 'tools/tools.yaml') }
		},
		practiceIds
	);
}

/** The summary line `content:check` prints for the catalogue. */
export function catalogueSummary(c: Catalogue): string {
	return `tools: ${c.tools.length} tools in ${c.categories.length} categories`;
}

let cached: Catalogue | undefined;

/** The starter catalogue, validated once per process against the default model. */
export function getCatalogue(practiceIds: ReadonlySet<string>): Catalogue {
	cached ??= loadCatalogue(practiceIds);
	return cached;
}
