import { renderMarkdown } from '$lib/server/content/markdown';
import type { Model } from './types';

const cache = new Map<string, ReturnType<typeof renderMarkdown>>();

/** A practice's guidance as safe HTML, rendered once per model version and practice. */
export function practiceGuidance(model: Model, practiceId: string) {
	const key = `${model.version}:${practiceId}`;
	let rendered = cache.get(key);
	if (!rendered) {
		const practice = model.practiceById.get(practiceId);
		if (!practice) return null;
		rendered = renderMarkdown(practice.guidance, {
			practiceHref: (id) => (model.practiceById.has(id) ? `/practices/${id}` : null)
		});
		cache.set(key, rendered);
	}
	return rendered;
}
