import { deserialize } from '$app/forms';
import type { ActionResult } from '@sveltejs/kit';

/** Posts a few fields to a named form action of the current page and returns SvelteKit's result. */
export async function postAction(
	action: string,
	fields: Record<string, string>
): Promise<ActionResult> {
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.set(k, v);
	try {
		const res = await fetch(`?/${action}`, {
			method: 'POST',
			body,
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }
		});
		return deserialize(await res.text());
	} catch {
		return {
			type: 'error',
			error: { message: 'Could not reach Rampart: your change is not saved yet.' }
		};
	}
}

/** The message to show for a result that did not save. */
export function failureMessage(result: ActionResult): string {
	if (result.type === 'failure') {
		const errors = (result.data?.errors ?? {}) as Record<string, string>;
		return Object.values(errors)[0] ?? 'Not saved.';
	}
	if (result.type === 'error')
		return (result.error as { message?: string })?.message ?? 'Not saved.';
	return 'Not saved.';
}
