// Runs before the app is imported (kit.experimental.instrumentation.server): starts OpenTelemetry
// traces when OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT) is set; otherwise loads nothing.
import { log } from '$lib/server/log';
import { startTracing } from '$lib/server/observability/tracing';

const command = ['--migrate', '--backup', '--restore'].some((a) => process.argv.includes(a));
if (!command) {
	try {
		const tracing = await startTracing(process.env);
		// adapter-node emits this once the server has closed: send the spans still buffered.
		if (tracing) process.once('sveltekit:shutdown' as never, () => void tracing.shutdown());
	} catch (e) {
		log.error(`Rampart cannot start: ${e instanceof Error ? e.message : String(e)}`);
		process.exit(1);
	}
}
