/** Practice results by team, then by practice, for the heatmap's rows. */
export function cellsByTeam<T extends { teamId: string; practiceId: string }>(cells: readonly T[]) {
	const byTeam = new Map<string, Map<string, T>>();
	for (const c of cells) {
		let row = byTeam.get(c.teamId);
		if (!row) byTeam.set(c.teamId, (row = new Map()));
		row.set(c.practiceId, c);
	}
	return byTeam;
}

/** The current page's link with another sort order, keeping the other filters. */
export function sortLink(url: URL, sort: string): string {
	const params = new URLSearchParams(url.searchParams);
	params.set('sort', sort);
	return `?${params}`;
}
