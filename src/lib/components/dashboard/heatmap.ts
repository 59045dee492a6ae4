/** The current page's link with another sort order, keeping the other filters. */
export function sortLink(url: URL, sort: string): string {
	const params = new URLSearchParams(url.searchParams);
	params.set('sort', sort);
	return `?${params}`;
}
