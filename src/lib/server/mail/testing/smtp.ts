import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface Received {
	from: string;
	to: string[];
	auth?: { username: string; password: string };
	mail: ParsedMail;
}

/**
 * A real SMTP server on 127.0.0.1 (a free port) that keeps what it receives, parsed. With
 * `auth`, it accepts only that user and password (over plain SMTP: loopback only).
 */
export async function startSmtpServer(
	opts: {
		auth?: { username: string; password: string };
		port?: number;
		reject?: (to: string) => boolean;
	} = {}
) {
	const received: Received[] = [];
	const waiters: (() => void)[] = [];
	const server = new SMTPServer({
		secure: false,
		disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
		authOptional: !opts.auth,
		allowInsecureAuth: true,
		logger: false,
		onAuth(auth, _session, callback) {
			if (opts.auth && auth.username === opts.auth.username && auth.password === opts.auth.password)
				return callback(null, { user: auth.username });
			return callback(new Error('Invalid username or password'));
		},
		onRcptTo(address, _session, callback) {
			if (opts.reject?.(address.address)) {
				const e = new Error('No such mailbox') as Error & { responseCode: number };
				e.responseCode = 550;
				return callback(e);
			}
			callback();
		},
		onData(stream, session, callback) {
			simpleParser(stream)
				.then((mail) => {
					received.push({
						from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
						to: session.envelope.rcptTo.map((r) => r.address),
						auth: opts.auth && session.user ? { ...opts.auth } : undefined,
						mail
					});
					for (const wake of waiters.splice(0)) wake();
					callback();
				})
				.catch(callback);
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
	});
	const address = server.server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		port,
		url: opts.auth
			? `smtp://${encodeURIComponent(opts.auth.username)}:${encodeURIComponent(opts.auth.password)}@127.0.0.1:${port}`
			: `smtp://127.0.0.1:${port}`,
		received,
		/** Resolves once `count` messages have arrived (or rejects after `timeoutMs`). */
		async waitFor(count: number, timeoutMs = 10_000): Promise<Received[]> {
			const deadline = Date.now() + timeoutMs;
			while (received.length < count) {
				if (Date.now() > deadline)
					throw new Error(`Expected ${count} emails, received ${received.length}`);
				await new Promise<void>((resolve) => {
					waiters.push(resolve);
					setTimeout(resolve, 200);
				});
			}
			return received;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
