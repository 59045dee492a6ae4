import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { formatIssuedOn, learnerCertificate } from '$lib/server/training/certificates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const certificate = await learnerCertificate(event.locals.db, user.id, event.params.track);
	if (!certificate) error(404, 'You have no certificate for this track yet.');
	return {
		certificate: {
			holderName: certificate.holderName,
			trackTitle: certificate.trackTitle,
			issuedOn: formatIssuedOn(certificate.issuedAt),
			verification: {
				id: certificate.id,
				url: new URL(`/certificates/${certificate.id}`, event.url.origin).href
			}
		}
	};
};
