/** A plain 503 page for when the database cannot answer; it needs nothing from the database (the headers handle adds the rest). */
export function serviceUnavailablePage(): Response {
	const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rampart is unavailable</title></head>
<body><main><h1>Rampart is unavailable</h1><p>The database is not answering. Try again in a moment.</p></main></body></html>`;
	return new Response(body, {
		status: 503,
		headers: {
			'Content-Type': 'text/html; charset=utf-8',
			'Retry-After': '10',
			'Cache-Control': 'no-store',
			'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'"
		}
	});
}
