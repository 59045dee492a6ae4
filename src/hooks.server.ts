import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { getDb, startDatabase, stopDatabase } from '$lib/server/db';
import { isDatabaseUnavailable } from '$lib/server/db/errors';
import { sessionCookieName, setSessionCookie, deleteSessionCookie } from '$lib/server/auth/cookie';
import { validateSessionToken } from '$lib/server/auth/session';
import { mfaRequiredRoles } from '$lib/server/auth/mfa-policy';
import { sessionLocals } from '$lib/server/auth/session-locals';
import { heavyPageGate, heavyRoutes } from '$lib/server/http/heavy-pages';
import { handleRequestText } from '$lib/server/http/request-text';
import { handleApi, isApiPath } from '$lib/server/http/api';
import { handleBodyLimit } from '$lib/server/http/body-limit';
import { handleFormOrigin } from '$lib/server/http/form-origin';
import { serviceUnavailablePage } from '$lib/server/http/unavailable';
import { DEFAULT_CACHE_CONTROL, securityHeaders } from '$lib/server/http/security-headers';
import { budgetSettings, handleRequestBudget } from '$lib/server/http/request-budget';
import { handleStorageFull, storageFullError } from '$lib/server/http/storage-full';
import {
	handleDatabaseUnavailable,
	noteDatabaseUnavailable
} from '$lib/server/http/database-unavailable';
import { drainOnShutdown } from '$lib/server/http/shutdown';
import { runMigrateCommand } from '$lib/server/db/migrate-command';
import { runBackupCommand } from '$lib/server/backup/command';
import { handleUrlLimit } from '$lib/server/http/url-limit';
import { startupProblem } from '$lib/server/db/startup-problem';
import { seedDemoIfRequested } from '$lib/server/demo/seed';
import { getModel } from '$lib/server/model/load-model';
import { checkEvidenceCategories } from '$lib/server/model/evidence-rules';
import { getCatalogue } from '$lib/server/tools/catalogue';
import { syncCatalogue } from '$lib/server/tools/sync';
import { getTraining } from '$lib/server/training/load-training';
import { mailSettings, reminderIntervalMs } from '$lib/server/mail/settings';
import { ssoSettings } from '$lib/server/auth/oidc/settings';
import { startMailService } from '$lib/server/mail/service';
import { startChatService } from '$lib/server/chat/service';
import { configureLog, log, logSettings } from '$lib/server/log';
import { metricsToken } from '$lib/server/observability/metrics-access';
import { handleRequestLog } from '$lib/server/observability/request-log';
import { handleChain } from '$lib/server/http/handle-chain';

export const init: ServerInit = async () => {
	// `node build --migrate` (npm run migrate) migrates and exits before anything is served.
	if (process.argv.includes('--migrate')) return runMigrateCommand();
	// `node build --backup …` / `--restore …` (npm run backup, npm run restore): the same.
	if (process.argv.includes('--backup') || process.argv.includes('--restore')) {
		return runBackupCommand();
	}
	try {
		// A broken content file stops the app here, naming the file, the place and the problem.
		const catalogue = getCatalogue(new Set(getModel().practiceById.keys()));
		checkEvidenceCategories(
			getModel(),
			catalogue.categories.map((c) => c.id)
		);
		getTraining();
		// Refuses a malformed SMTP_URL, or one without ORIGIN for the links.
		mailSettings(process.env);
		reminderIntervalMs(process.env);
		// Refuses a malformed REQUEST_BUDGET_* before serving anything.
		budgetSettings(process.env);
		// Refuses a wrong or half-done single sign-on or LOCAL_PASSWORDS setting.
		ssoSettings();
		configureLog(logSettings(process.env, Boolean(process.stdout.isTTY)));
		metricsToken(process.env);
		mfaRequiredRoles(process.env);
		await syncCatalogue(await startDatabase(), catalogue);
	} catch (e) {
		log.error(`Rampart cannot start: ${startupProblem(e)}`);
		process.exit(1);
	}
	await seedDemoIfRequested(getDb());
	startMailService(getDb());
	startChatService(getDb());
	const stop = () => void stopDatabase();
	process.once('sveltekit:shutdown' as never, stop);
	drainOnShutdown();
};

const handleSecurityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of Object.entries(securityHeaders)) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	if (!response.headers.has('Cache-Control'))
		response.headers.set('Cache-Control', DEFAULT_CACHE_CONTROL);
	return response;
};

/** The database and the client address, for everything after. */
const handleLocals: Handle = ({ event, resolve }) => {
	event.locals.db = getDb();
	event.locals.ip = clientAddress(event);
	return resolve(event);
};

/** Fills locals: the signed-in user, if any. The API never reads or sets the session cookie. */
const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.pendingSecondFactor = null;
	if (isApiPath(event.url.pathname)) return resolve(event);
	const name = sessionCookieName(event.url);
	const token = event.cookies.get(name);
	if (token) {
		try {
			const result = await validateSessionToken(event.locals.db, token);
			// A session waiting for its second factor fills pendingSecondFactor, not user.
			Object.assign(event.locals, sessionLocals(result));
			if (result) {
				if (result.refreshed) {
					setSessionCookie(event.cookies, event.url, token, result.session.expiresAt);
				}
			} else {
				deleteSessionCookie(event.cookies, event.url);
			}
		} catch (e) {
			// A database failure must never look like "signed out".
			log.error('Session check failed', { path: event.url.pathname, error: e });
			return serviceUnavailablePage();
		}
	}
	return resolve(event);
};

function clientAddress(event: Parameters<Handle>[0]['event']): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}

/** Organisation-sized pages render a few at a time (see heavy-pages.ts). */
const handleHeavyPages: Handle = ({ event, resolve }) =>
	event.route.id && heavyRoutes.has(event.route.id)
		? heavyPageGate.run(async () => resolve(event))
		: resolve(event);

export const handle = handleChain(
	handleRequestLog,
	handleSecurityHeaders,
	handleApi,
	handleFormOrigin,
	handleBodyLimit,
	handleStorageFull,
	handleDatabaseUnavailable,
	handleUrlLimit,
	handleRequestText,
	handleLocals,
	handleRequestBudget,
	handleSession,
	handleHeavyPages
);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status === 404) return { message: 'Not found' };
	const errorId = crypto.randomUUID();
	event.locals.errorId = errorId;
	const storageFull = storageFullError(error, event);
	const unavailable = !storageFull && isDatabaseUnavailable(error);
	if (unavailable) noteDatabaseUnavailable(event);
	log.error('Request failed', {
		errorId,
		requestId: event.locals.requestId,
		method: event.request.method,
		path: event.url.pathname,
		// As answered: handleStorageFull and handleDatabaseUnavailable turn such a 500 into 503.
		status: (storageFull || unavailable) && status === 500 ? 503 : status,
		error
	});
	if (storageFull) return { ...storageFull, errorId };
	if (unavailable)
		return { message: 'The database is not available right now. Try again in a moment.', errorId };
	return { message: status >= 500 ? 'Something went wrong on our side.' : message, errorId };
};
