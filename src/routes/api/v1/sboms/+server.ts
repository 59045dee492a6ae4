import { requireApiToken } from '$lib/server/auth/guard';
import { readCycloneDx } from '$lib/server/findings/cyclonedx';
import { receiveUpload } from '$lib/server/integrations/receive';
import type { RequestHandler } from './$types';

const cycloneDx = {
	mediaTypes: ['application/vnd.cyclonedx+json', 'application/json'],
	read: readCycloneDx
};

/** A CycloneDX 1.4–1.6 JSON SBOM: its components counted, its vulnerabilities findings. */
export const POST: RequestHandler = async (event) => {
	const auth = await requireApiToken(event, 'scans:write');
	if (!auth.ok) return auth.response;
	return receiveUpload(event, auth.caller, cycloneDx);
};
