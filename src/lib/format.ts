/** A change as text with its sign, e.g. "+0.40", "−0.10", "±0.00". */
export function signed(x: number | null, digits = 2): string {
	if (x === null) return '—';
	const s = Math.abs(x).toFixed(digits);
	return Number(s) === 0 ? `±${s}` : x > 0 ? `+${s}` : `−${s}`;
}
