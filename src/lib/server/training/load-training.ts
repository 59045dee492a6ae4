import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { contentRoot, getModel } from '$lib/server/model/load-model';
import { validateTraining, type TrainingSource } from './validate-training';
import type { Training } from './types';

/** Reads `content/training/` (tracks.yaml and one folder per module) and validates it. */
export function loadTraining(practiceIds: ReadonlySet<string>, root = contentRoot): Training {
	const dir = path.join(root, 'training');
	/* eslint-disable security/detect-non-literal-fs-filename -- paths come from the content folder, never from a request */
	const tracksPath = path.join(dir, 'tracks.yaml');
	const source: TrainingSource = {
		tracks: {
			file: 'training/tracks.yaml',
			text: existsSync(tracksPath) ? readFileSync(tracksPath, 'utf8') : null
		},
		modules: readdirSync(dir, { withFileTypes: true })
			.filter((e) => e.isDirectory())
			.map((e) => ({
				id: e.name,
				files: readdirSync(path.join(dir, e.name), { withFileTypes: true })
					.filter((f) => f.isFile())
					.map((f) => ({
						name: f.name,
						bytes: new Uint8Array(readFileSync(path.join(dir, e.name, f.name)))
					}))
			}))
	};
	/* eslint-enable security/detect-non-literal-fs-filename */
	return validateTraining(source, practiceIds);
}

let cached: Training | undefined;

/** The training content, loaded, validated against the model and rendered once per process. */
export function getTraining(): Training {
	cached ??= loadTraining(new Set(getModel().practiceById.keys()));
	return cached;
}
