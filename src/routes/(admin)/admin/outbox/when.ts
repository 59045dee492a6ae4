/** A moment as the outbox page shows it, in UTC (the same on the server and in the browser). */
export function when(d: Date): string {
	return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
