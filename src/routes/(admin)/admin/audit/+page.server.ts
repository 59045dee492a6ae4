import { error } from '@sveltejs/kit';
import { textProblem } from '$lib/schemas/text';
import { requirePermission } from '$lib/server/auth/guard';
import { AUDIT_PAGE_SIZE } from '$lib/server/audit/audit-log';
import { readableAuditLog } from '$lib/server/audit/audit-view';
import { getModel } from '$lib/server/model/load-model';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'audit.view');
	const before = Number.parseInt(event.url.searchParams.get('before') ?? '', 10);
	const action = event.url.searchParams.get('action')?.slice(0, 64) || undefined;
	// The request handle refuses control characters in any query; this filter reaches the database.
	if (action && textProblem(action, 'line')) error(400, textProblem(action, 'line')!);
	const entries = await readableAuditLog(event.locals.db, getModel(), {
		before: Number.isSafeInteger(before) && before > 0 ? before : undefined,
		action
	});
	return {
		entries,
		action: action ?? '',
		nextBefore: entries.length === AUDIT_PAGE_SIZE ? entries.at(-1)!.id : null
	};
};
