import { signed } from '$lib/format';

/**
 * One-sentence findings written from the figures, for the report ("Build is the strongest
 * phase; Monitor dropped 0.40").
 */
export function summarySentences(input: {
	phases: { name: string; score: number | null; previous: number | null }[];
	org: { mean: number; change: number | null } | null;
	assessedShare: number;
	dropped: number;
}): string[] {
	const out: string[] = [];
	if (input.org) {
		const change =
			input.org.change === null ? '' : ` (${signed(input.org.change)} since the previous cycle)`;
		out.push(`The organisation scores ${input.org.mean.toFixed(2)} of 4${change}.`);
	}
	const scored = input.phases.filter((p) => p.score !== null);
	if (scored.length) {
		const best = scored.reduce((a, b) => (b.score! > a.score! ? b : a));
		const worst = scored.reduce((a, b) => (b.score! < a.score! ? b : a));
		out.push(
			`${best.name} is the strongest phase (${best.score!.toFixed(2)}); ${worst.name} the weakest (${worst.score!.toFixed(2)}).`
		);
	}
	const moves = input.phases
		.filter((p) => p.score !== null && p.previous !== null)
		.map((p) => ({ name: p.name, change: p.score! - p.previous! }))
		.filter((m) => Math.abs(m.change) >= 0.1)
		.sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
	const biggest = moves[0];
	if (biggest)
		out.push(
			`${biggest.name} ${biggest.change > 0 ? 'rose' : 'dropped'} ${Math.abs(biggest.change).toFixed(2)}, the largest move of any phase.`
		);
	out.push(`${Math.round(input.assessedShare * 100)} % of teams have submitted their assessment.`);
	if (input.dropped)
		out.push(
			`${input.dropped} ${input.dropped === 1 ? 'team' : 'teams'} dropped since the previous cycle.`
		);
	return out;
}
