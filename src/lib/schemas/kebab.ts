/** Lower-case letters and digits in words joined by single hyphens, like `payments-api`. */
export function isKebabCase(s: string): boolean {
	return /^[a-z0-9-]+$/.test(s) && !s.startsWith('-') && !s.endsWith('-') && !s.includes('--');
}
