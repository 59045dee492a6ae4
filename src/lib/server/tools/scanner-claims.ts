import type { Catalogue } from './catalogue';
import { scannerKey } from './scanner-key';

export interface StoredScannerName {
	name: string;
	toolId: string;
	source: string;
}

/** The scanner names the catalogue's tools claim, by key; a tool whose id is custom claims none. */
export function catalogueClaims(
	catalogue: Pick<Catalogue, 'tools'>,
	customToolIds: ReadonlySet<string> = new Set()
): Map<string, string> {
	const claims = new Map<string, string>();
	for (const t of catalogue.tools) {
		if (customToolIds.has(t.id)) continue;
		for (const name of t.scanners ?? []) {
			const key = scannerKey(name);
			if (!claims.has(key)) claims.set(key, t.id);
		}
	}
	return claims;
}

/**
 * What the catalogue changes in tool_scanner_name: names to claim (new, or a catalogue mapping
 * now pointing elsewhere) and catalogue mappings no tool claims any more. A name an admin mapped
 * stays as the admin left it, whatever the catalogue says.
 */
export function scannerNameChanges(
	stored: readonly StoredScannerName[],
	catalogue: Pick<Catalogue, 'tools'>,
	customToolIds: ReadonlySet<string> = new Set()
): { claim: { name: string; toolId: string }[]; drop: string[] } {
	const claims = catalogueClaims(catalogue, customToolIds);
	const byName = new Map(stored.map((s) => [s.name, s]));
	const claim = [...claims]
		.filter(([name, toolId]) => {
			const old = byName.get(name);
			return !old || (old.source === 'catalogue' && old.toolId !== toolId);
		})
		.map(([name, toolId]) => ({ name, toolId }));
	const drop = stored
		.filter((s) => s.source === 'catalogue' && !claims.has(s.name))
		.map((s) => s.name);
	return { claim, drop };
}
