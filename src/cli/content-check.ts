// `npm run content:check`: validates everything in content/ and prints one summary line per
// kind of content; on a problem it prints the file, the place and what is wrong, and exits 1.
import { ContentError } from '$lib/server/content/problems';
import { loadModel } from '$lib/server/model/load-model';
import { modelSummary } from '$lib/server/model/validate-model';
import { checkEvidenceCategories, evidenceSummary } from '$lib/server/model/evidence-rules';
import { catalogueSummary, loadCatalogue } from '$lib/server/tools/catalogue';
import { loadTraining } from '$lib/server/training/load-training';
import { trainingSummary } from '$lib/server/training/validate-training';

const checks: [string, () => string][] = [
	['model', () => modelSummary(loadModel())],
	['tools', () => catalogueSummary(loadCatalogue(new Set(loadModel().practiceById.keys())))],
	[
		'evidence',
		() => {
			const model = loadModel();
			const { categories } = loadCatalogue(new Set(model.practiceById.keys()));
			return evidenceSummary(
				checkEvidenceCategories(
					model,
					categories.map((c) => c.id)
				)
			);
		}
	],
	['training', () => trainingSummary(loadTraining(new Set(loadModel().practiceById.keys())))]
];

let failed = false;
const lines: string[] = [];
for (const [kind, check] of checks) {
	try {
		lines.push(check());
	} catch (e) {
		failed = true;
		if (e instanceof ContentError) console.error(`${kind}: ${e.message}`);
		else console.error(`${kind}: could not be read: ${(e as Error).message}`);
	}
}
for (const line of lines) console.log(line);
process.exit(failed ? 1 : 0);
