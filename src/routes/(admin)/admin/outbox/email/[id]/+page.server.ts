import { error } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth/guard';
import { parseOutboxId, readUnsentEmail } from '$lib/server/mail/queue-view';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'outbox.view');
	const id = parseOutboxId(event.params.id);
	// Only an email kept unsent while email was off (never a password reset) can be read.
	const email = id === null ? null : await readUnsentEmail(event.locals.db, id);
	if (!email) error(404, 'No such unsent email');
	return { email };
};
