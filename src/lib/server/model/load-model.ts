import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ContentError } from '$lib/server/content/problems';
import { validateModel, type ModelFiles } from './validate-model';
import type { Model } from './types';

export const contentRoot = path.resolve(process.env.CONTENT_DIR ?? 'content');

/** Parses a YAML file; a syntax error becomes a content problem naming the file and line. */
export function readYaml(root: string, rel: string): unknown {
	// eslint-disable-next-line security/detect-non-literal-fs-filename -- paths come from the content folder
	const text = readFileSync(path.join(root, rel), 'utf8');
	const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
	if (doc.errors.length) {
		throw new ContentError(
			doc.errors.map((e) => ({
				file: rel,
				path: e.linePos ? `line ${e.linePos[0].line}` : '',
				message: e.message.split('\n')[0]!
			}))
		);
	}
	return doc.toJS();
}

/** Reads `content/model/` (structure in YAML, guidance in markdown) and validates it. */
export function loadModel(root = contentRoot): Model {
	const dir = 'model/practices';
	/* eslint-disable security/detect-non-literal-fs-filename -- paths come from the content folder */
	const files: ModelFiles = {
		model: { file: 'model/model.yaml', data: readYaml(root, 'model/model.yaml') },
		streams: { file: 'model/samm-streams.yaml', data: readYaml(root, 'model/samm-streams.yaml') },
		practices: readdirSync(path.join(root, dir))
			.filter((f) => f.endsWith('.yaml'))
			.sort()
			.map((f) => {
				const guidanceFile = `${dir}/${f.replace(/\.yaml$/, '.md')}`;
				const guidancePath = path.join(root, guidanceFile);
				return {
					file: `${dir}/${f}`,
					data: readYaml(root, `${dir}/${f}`),
					guidanceFile,
					guidance: existsSync(guidancePath) ? readFileSync(guidancePath, 'utf8') : null
				};
			})
	};
	/* eslint-enable security/detect-non-literal-fs-filename */
	return validateModel(files);
}

let cached: Model | undefined;

/** The default model, loaded and validated once per process. */
export function getModel(): Model {
	cached ??= loadModel();
	return cached;
}
