/** Sent with every response; the CSP itself comes from svelte.config.js (nonce mode). */
export const securityHeaders: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'strict-origin-when-cross-origin',
	'X-Frame-Options': 'DENY',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Resource-Policy': 'same-origin',
	'Permissions-Policy':
		'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()'
};

/**
 * Every response the app makes depends on who is signed in (the header names them, pages show
 * their teams), so none may be stored by a browser or proxy: `private, no-store` unless a route
 * chose otherwise. Static assets never reach this (the server's file handler answers them first,
 * with their long immutable caching).
 */
export const DEFAULT_CACHE_CONTROL = 'private, no-store';
