// `node src/cli/side-by-side.js "<command>" "<command>" …` (npm run checks): runs the commands
// at once, each in a shell, and prints each one's output whole once it ends, so that two
// single-threaded checks (ESLint; Prettier, svelte-check and the rest) take about the time of
// the longer one on a machine with two cores. Exits 1 if any command failed, once all have ended.
import { spawn } from 'node:child_process';

const commands = process.argv.slice(2);
if (!commands.length) {
	console.error('Usage: node src/cli/side-by-side.js "<command>" ["<command>" …]');
	process.exit(2);
}
const started = performance.now();

/**
 * Runs one command; prints its verdict and output when it ends.
 * @param {string} command
 * @returns {Promise<boolean>} whether it passed
 */
function run(command) {
	return new Promise((resolve) => {
		/** @type {Buffer[]} */
		const output = [];
		const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.on('data', (c) => output.push(c));
		child.stderr.on('data', (c) => output.push(c));
		child.on('close', (code, signal) => {
			const seconds = ((performance.now() - started) / 1000).toFixed(1);
			const verdict = code === 0 ? 'passed' : `failed (${signal ?? `exit ${code}`})`;
			process.stdout.write(`\n── ${command}: ${verdict} in ${seconds} s\n`);
			process.stdout.write(Buffer.concat(output));
			resolve(code === 0);
		});
	});
}

const passed = await Promise.all(commands.map(run));
process.exit(passed.every(Boolean) ? 0 : 1);
