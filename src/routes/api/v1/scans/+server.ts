import { requireApiToken } from '$lib/server/auth/guard';
import { readSarifPausing } from '$lib/server/findings/sarif';
import { receiveUpload } from '$lib/server/integrations/receive';
import type { RequestHandler } from './$types';

const sarif = {
	mediaTypes: ['application/sarif+json', 'application/json'],
	read: readSarifPausing
};

/** A SARIF 2.1.0 log from a pipeline (README: "Uploading from a pipeline"). */
export const POST: RequestHandler = async (event) => {
	const auth = await requireApiToken(event, 'scans:write');
	if (!auth.ok) return auth.response;
	return receiveUpload(event, auth.caller, sarif);
};
