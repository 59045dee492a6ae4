import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every load, action and endpoint decides access itself: a +layout guard alone can be skipped
// (actions and endpoints do not run layout loads). This test fails when one forgets.
const GUARD =
	/\b(requireUser|requirePermission|requireTeamAccess|requireAssessmentAccess|allowAnonymous)\(/;
const routesDir = path.resolve('src/routes');

function serverModules(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) return serverModules(p);
		return /^\+(page|layout)\.server\.ts$|^\+server\.ts$/.test(e.name) ? [p] : [];
	});
}

/** Each exported handler (load, each action, each HTTP verb) with whether it calls a guard. */
function handlers(file: string): { name: string; guarded: boolean }[] {
	const source = ts.createSourceFile(
		file,
		readFileSync(file, 'utf8'),
		ts.ScriptTarget.Latest,
		true
	);
	const localFunctions = new Map<string, string>();
	source.forEachChild((node) => {
		if (ts.isFunctionDeclaration(node) && node.name)
			localFunctions.set(node.name.text, node.getText());
	});
	const guarded = (fn: ts.Node): boolean => {
		const text = fn.getText();
		if (GUARD.test(text)) return true;
		// A handler may delegate to a helper in the same file that checks access.
		return [...localFunctions].some(
			([name, body]) => new RegExp(`\\b${name}\\(`).test(text) && GUARD.test(body)
		);
	};
	const found: { name: string; guarded: boolean }[] = [];
	source.forEachChild((node) => {
		if (!ts.isVariableStatement(node)) return;
		if (!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
		for (const decl of node.declarationList.declarations) {
			const name = decl.name.getText();
			let init = decl.initializer;
			while (init && (ts.isSatisfiesExpression(init) || ts.isAsExpression(init)))
				init = init.expression;
			if (!init) continue;
			if (name === 'actions' && ts.isObjectLiteralExpression(init)) {
				for (const prop of init.properties) {
					found.push({ name: `actions.${prop.name?.getText()}`, guarded: guarded(prop) });
				}
			} else if (['load', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'fallback'].includes(name)) {
				found.push({ name, guarded: guarded(init) });
			}
		}
	});
	return found;
}

describe('every server route checks access', () => {
	const files = serverModules(routesDir);
	it('finds the route modules', () => {
		expect(files.length).toBeGreaterThan(10);
	});
	for (const file of files) {
		const rel = path.relative(routesDir, file);
		for (const h of handlers(file)) {
			it(`${rel} ${h.name}`, () => {
				expect(h.guarded, `${rel} ${h.name} calls no guard from $lib/server/auth/guard`).toBe(true);
			});
		}
	}
});
