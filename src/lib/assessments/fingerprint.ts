/**
 * What the person saw of an answer or a practice's settings, as one string: the phase form
 * sends it back beside each row (a hidden field), so that saving the whole phase without
 * JavaScript writes only the rows they changed and never reports someone else's newer answer
 * as a conflict. The same function runs where the form is rendered (server and browser) and
 * where it is saved, so the page's data need not carry it.
 */
export function answerFingerprint(a: {
	value: number | null;
	comment: string;
	evidence: readonly string[];
}): string {
	return JSON.stringify([a.value, a.comment, a.evidence]);
}

export function practiceFingerprint(p: {
	notApplicable: boolean;
	reason: string;
	target: number | null;
}): string {
	return JSON.stringify([p.notApplicable, p.notApplicable ? p.reason : '', p.target]);
}
