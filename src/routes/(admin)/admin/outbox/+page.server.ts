import { requirePermission } from '$lib/server/auth/guard';
import { OUTBOX_LIMIT, parseOutboxFilter, readOutbox } from '$lib/server/mail/queue-view';
import { emailEnabled } from '$lib/server/mail/settings';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'outbox.view');
	const filter = parseOutboxFilter(event.url.searchParams.get('state'));
	const { emails, chats } = await readOutbox(event.locals.db, filter);
	return { filter, emails, chats, limit: OUTBOX_LIMIT, emailOn: emailEnabled() };
};
