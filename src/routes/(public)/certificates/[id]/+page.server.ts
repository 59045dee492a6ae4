import { error } from '@sveltejs/kit';
import { allowAnonymous } from '$lib/server/auth/guard';
import { formatIssuedOn, verifyCertificate } from '$lib/server/training/certificates';
import type { PageServerLoad } from './$types';

/** Public verification: the holder's name, the track and the date; nothing else, signed in or not. */
export const load: PageServerLoad = async (event) => {
	allowAnonymous(event);
	const certificate = await verifyCertificate(event.locals.db, event.params.id);
	if (!certificate) error(404, 'No certificate has this verification id.');
	return {
		certificate: {
			holderName: certificate.holderName,
			trackTitle: certificate.trackTitle,
			issuedOn: formatIssuedOn(certificate.issuedAt)
		}
	};
};
