import type { ShownFacts } from '$lib/evidence/words';
import { getModel } from '$lib/server/model/load-model';
import { getCatalogue } from '$lib/server/tools/catalogue';
import type { PipelineFacts } from './facts';

let names: ReadonlyMap<string, string> | undefined;

/** Tool category names by id: categories come from content/tools alone, so once per process. */
function categoryNames(): ReadonlyMap<string, string> {
	names ??= new Map(
		getCatalogue(new Set(getModel().practiceById.keys())).categories.map((c) => [c.id, c.name])
	);
	return names;
}

/** Facts as pages show them: the categories by name. */
export function shownFacts(facts: PipelineFacts | null): ShownFacts | null {
	if (!facts) return null;
	const { categories, ...rest } = facts;
	return { ...rest, categories: categories.map((id) => categoryNames().get(id) ?? id) };
}
