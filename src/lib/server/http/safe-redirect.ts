/** A same-site path to go to after signing in; anything else (other hosts, `//x`, `/\x`) goes home. */
export function safeNextPath(next: string | null | undefined): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
	if ([...next].some((c) => c.charCodeAt(0) < 0x20)) return '/';
	return next;
}
