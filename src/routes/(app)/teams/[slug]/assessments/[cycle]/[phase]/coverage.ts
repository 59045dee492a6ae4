export const coverageOptions = [
	{ value: '0', label: 'No' },
	{ value: '0.25', label: 'Some teams or repos' },
	{ value: '0.5', label: 'Most' },
	{ value: '1', label: 'All' }
] as const;

/** The label of a stored answer value, or "not answered". */
export function coverageLabel(value: number | null | undefined): string {
	if (value === null || value === undefined) return 'not answered';
	return coverageOptions.find((o) => Number(o.value) === value)?.label ?? String(value);
}
