/** The current page's link with another sort order, keeping the other filters. */
export function sortLink(url: URL, sort: string): string {
	const params = new URLSearchParams(url.searchParams);
	params.set('sort', sort);
	return `?${params}`;
}

export const heatmapSorts = ['team', 'unit', 'score'] as const;

/** The heatmap order asked for in the query string; by team when it names none we know. */
export function heatmapSort(value: string | null): (typeof heatmapSorts)[number] {
	return heatmapSorts.find((s) => s === value) ?? 'team';
}
