/** A link to the same page in another sort order, keeping the other filters. */
export function sortLink(filters: URLSearchParams | string, sort: string): string {
	const params = new URLSearchParams(filters);
	params.set('sort', sort);
	return `?${params}`;
}

export const heatmapSorts = ['team', 'unit', 'score'] as const;

/** The heatmap order asked for in the query string; by team when it names none we know. */
export function heatmapSort(value: string | null): (typeof heatmapSorts)[number] {
	return heatmapSorts.find((s) => s === value) ?? 'team';
}
