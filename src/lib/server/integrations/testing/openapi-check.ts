import { Ajv2020 } from 'ajv/dist/2020.js';
import { openApiDocument } from '../openapi';

/*
 * Checks a real answer against the OpenAPI description: the schema of that path, method, status
 * and content type, $refs and all, by a JSON Schema 2020-12 validator (OpenAPI 3.1's dialect).
 */

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(openApiDocument as unknown as object, 'openapi');

const pointer = (...parts: string[]) =>
	parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Problems of `body` against the description of this answer; [] when it matches. */
export function openApiProblems(
	path: string,
	method: 'get' | 'post',
	status: number,
	body: unknown
): string[] {
	const responses = (
		openApiDocument.paths as unknown as Record<
			string,
			Record<string, { responses: Record<string, unknown> }>
		>
	)[path]?.[method]?.responses;
	if (!responses?.[String(status)]) return [`${method} ${path} does not describe status ${status}`];
	const validate = ajv.getSchema(
		`openapi#/${pointer('paths', path, method, 'responses', String(status), 'content', 'application/json', 'schema')}`
	);
	if (!validate) return [`no schema for ${method} ${path} ${status}`];
	if (validate(body)) return [];
	return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}
