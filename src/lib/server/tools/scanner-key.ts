/** The key a scanner's name is mapped by: trimmed and lower-cased ("Semgrep OSS" → "semgrep oss"). */
export function scannerKey(name: string): string {
	return name.trim().toLowerCase();
}
