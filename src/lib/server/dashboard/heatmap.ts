/**
 * The heatmap travels to the browser as one short string per team (a character per practice:
 * 0–4 the achieved level, `n` not applicable, `.` no answer), not as thousands of objects.
 */
export interface HeatmapRow {
	teamId: string;
	name: string;
	slug: string;
	unit: string | null;
	score: number | null;
	levels: string;
}

export function encodeHeatmap(
	teams: readonly {
		teamId: string;
		name: string;
		slug: string;
		unit: string | null;
		score: number | null;
	}[],
	cells: readonly {
		teamId: string;
		practiceId: string;
		achievedLevel: number;
		notApplicable: boolean;
	}[],
	practiceIds: readonly string[]
): HeatmapRow[] {
	const column = new Map(practiceIds.map((id, i) => [id, i]));
	const levels = new Map<string, string[]>();
	for (const c of cells) {
		const i = column.get(c.practiceId);
		if (i === undefined) continue;
		let row = levels.get(c.teamId);
		if (!row) levels.set(c.teamId, (row = practiceIds.map(() => '.')));
		row[i] = c.notApplicable ? 'n' : String(Math.max(0, Math.min(4, c.achievedLevel)));
	}
	const empty = '.'.repeat(practiceIds.length);
	return teams.map((t) => ({
		teamId: t.teamId,
		name: t.name,
		slug: t.slug,
		unit: t.unit,
		score: t.score,
		levels: levels.get(t.teamId)?.join('') ?? empty
	}));
}
