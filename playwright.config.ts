import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// E2E_PORT_BASE lets two runs share a machine (each port also names its data directory).
const portBase = Number(process.env.E2E_PORT_BASE ?? 4173);

/** One production server per purpose, each on its own empty data directory. */
export const servers = {
	/** No users yet: the setup and invitation journey. */
	fresh: portBase,
	/** The demo organisation with a known password. */
	demo: portBase + 1,
	/** Its own server, so the throttled address does not block the other tests. */
	throttle: portBase + 2,
	/** A small per-address budget that one test spends (hardening.spec.ts). */
	budget: portBase + 3,
	/** The demo with the default MFA policy (admin and security must have a second factor). */
	twoFactor: portBase + 4,
	/** Free for a test that starts a server of its own. */
	spare: portBase + 17
} as const;

export const DEMO_PASSWORD = 'e2e demo password only';

/** Every browser test signs in from 127.0.0.1: more than one person's budget (see request-budget.ts). */
const roomyBudget = { REQUEST_BUDGET_BURST: '100000', REQUEST_BUDGET_PER_SECOND: '1000' };

const server = (port: number, env: Record<string, string> = {}) => {
	const dataDir = path.join(tmpdir(), `rampart-e2e-${port}`);
	return {
		command: `rm -rf '${dataDir}' && node build`,
		url: `http://127.0.0.1:${port}/readyz`,
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'ignore' as const,
		stderr: 'pipe' as const,
		env: {
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: `http://127.0.0.1:${port}`,
			DATA_DIR: dataDir,
			// As `npm start` sets it: pipeline uploads of up to 10 MB (see src/cli/start.js).
			BODY_SIZE_LIMIT: '10M',
			// The other specs sign in as the demo's admin and security users with a password only;
			// two-factor.spec.ts has a server with the default policy.
			MFA_REQUIRED_ROLES: '',
			...env
		}
	};
};

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 2,
	retries: 0,
	reporter: process.env.CI ? 'list' : 'line',
	timeout: 30_000,
	use: {
		browserName: 'chromium',
		trace: 'retain-on-failure',
		launchOptions: {
			// Debian's Chromium: Playwright never downloads a browser here.
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	webServer: [
		server(servers.fresh, roomyBudget),
		server(servers.demo, { RAMPART_DEMO: '1', DEMO_PASSWORD, ...roomyBudget }),
		// The throttle server keeps the default per-address budget: its tests spend it.
		server(servers.throttle, { RAMPART_DEMO: '1', DEMO_PASSWORD }),
		server(servers.budget, {
			RAMPART_DEMO: '1',
			DEMO_PASSWORD,
			REQUEST_BUDGET_BURST: '100',
			REQUEST_BUDGET_PER_SECOND: '0.05'
		}),
		server(servers.twoFactor, {
			RAMPART_DEMO: '1',
			DEMO_PASSWORD,
			...roomyBudget,
			MFA_REQUIRED_ROLES: 'admin,security',
			// WebAuthn refuses an IP address as relying party: passkeys are tried on localhost.
			ORIGIN: `http://localhost:${servers.twoFactor}`
		})
	]
});
