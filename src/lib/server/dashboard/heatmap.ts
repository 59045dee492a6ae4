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

/** One team's stored result for one practice: what a heatmap cell is made of. */
export interface PracticeCell {
	teamId: string;
	practiceId: string;
	achievedLevel: number;
	notApplicable: boolean;
}

/** Column index per practice id. */
const columns = (practiceIds: readonly string[]) => new Map(practiceIds.map((id, i) => [id, i]));

export function encodeHeatmap(
	teams: readonly Omit<HeatmapRow, 'levels'>[],
	cells: readonly PracticeCell[],
	practiceIds: readonly string[]
): HeatmapRow[] {
	const column = columns(practiceIds);
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

/** Above this many teams the dashboard shows one heatmap row per org unit (the full one is a link away). */
export const TEAM_ROWS_LIMIT = 60;

export interface UnitHeatmapRow {
	unitId: string | null;
	unit: string;
	teams: number;
	score: number | null;
	/** Mean achieved level per practice (teams that answered it), or null when none did. */
	levels: (number | null)[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

/** The heatmap per org unit: mean achieved level per practice over the unit's teams. */
export function unitHeatmap(
	teams: readonly {
		teamId: string;
		unitId: string | null;
		unit: string | null;
		score: number | null;
	}[],
	cells: readonly PracticeCell[],
	practiceIds: readonly string[]
): UnitHeatmapRow[] {
	const column = columns(practiceIds);
	const unitOf = new Map(teams.map((t) => [t.teamId, t.unitId ?? '']));
	const units = new Map<string, { row: UnitHeatmapRow; scores: number[]; sums: number[][] }>();
	for (const t of teams) {
		const key = t.unitId ?? '';
		let u = units.get(key);
		if (!u) {
			u = {
				row: { unitId: t.unitId, unit: t.unit ?? 'No org unit', teams: 0, score: null, levels: [] },
				scores: [],
				sums: practiceIds.map(() => [])
			};
			units.set(key, u);
		}
		u.row.teams++;
		if (t.score !== null) u.scores.push(t.score);
	}
	for (const c of cells) {
		const i = column.get(c.practiceId);
		const u = units.get(unitOf.get(c.teamId) ?? '\0');
		if (i === undefined || !u || c.notApplicable) continue;
		u.sums[i]!.push(c.achievedLevel);
	}
	return [...units.values()]
		.map(({ row, scores, sums }) => ({
			...row,
			score: mean(scores),
			levels: sums.map((xs) => round1(mean(xs)))
		}))
		.sort((a, b) => a.unit.localeCompare(b.unit));
}
