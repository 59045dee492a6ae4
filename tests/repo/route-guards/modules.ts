import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** A parsed module with a checker that resolves names inside it (not across files). */
export interface Module {
	file: string;
	source: ts.SourceFile;
	checker: ts.TypeChecker;
}

export const libDir = path.resolve('src/lib');
export const guardFile = path.join(libDir, 'server/auth/guard.ts');

const cache = new Map<string, Module>();

/**
 * Parses one file as a program of its own: no lib, no imports resolved. That is enough for the
 * checker to tell which declaration a name refers to (an import, a local function, a parameter
 * that shadows an import), which is all the test asks of it, in milliseconds per file.
 */
export function loadModule(file: string): Module {
	const cached = cache.get(file);
	if (cached) return cached;
	const text = readFileSync(file, 'utf8');
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	const host = ts.createCompilerHost({});
	host.getSourceFile = (f) => (f === file ? source : undefined);
	host.fileExists = (f) => f === file;
	host.readFile = (f) => (f === file ? text : undefined);
	const program = ts.createProgram([file], { noLib: true, noResolve: true, types: [] }, host);
	const module = { file, source, checker: program.getTypeChecker() };
	cache.set(file, module);
	return module;
}

/** The project file an import specifier names (relative or `$lib/…`), or undefined. */
export function resolveSpecifier(from: string, specifier: string): string | undefined {
	let base: string;
	if (specifier.startsWith('./') || specifier.startsWith('../')) {
		base = path.resolve(path.dirname(from), specifier);
	} else if (specifier.startsWith('$lib/')) {
		base = path.join(libDir, specifier.slice('$lib/'.length));
	} else {
		return undefined;
	}
	const stem = base.replace(/\.js$/, '');
	return [
		base,
		`${stem}.ts`,
		`${stem}.js`,
		path.join(base, 'index.ts'),
		path.join(base, 'index.js')
	]
		.filter((f) => /\.[jt]s$/.test(f))
		.find((f) => existsSync(f));
}

/** The functions guard.ts exports: every one of them is a guard. */
export function guardNames(): Set<string> {
	const { source } = loadModule(guardFile);
	const names = new Set<string>();
	for (const node of source.statements) {
		if (!isExported(node)) continue;
		if (ts.isFunctionDeclaration(node) && node.name) names.add(node.name.text);
		if (ts.isVariableStatement(node)) {
			for (const d of node.declarationList.declarations) {
				const init = d.initializer && unwrap(d.initializer);
				if (ts.isIdentifier(d.name) && init && ts.isFunctionLike(init)) names.add(d.name.text);
			}
		}
	}
	return names;
}

export function isExported(node: ts.Node): boolean {
	return (
		ts.canHaveModifiers(node) &&
		!!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
	);
}

/** The expression under `satisfies`, `as`, `!` and parentheses. */
export function unwrap(node: ts.Expression): ts.Expression {
	while (
		ts.isSatisfiesExpression(node) ||
		ts.isAsExpression(node) ||
		ts.isNonNullExpression(node) ||
		ts.isParenthesizedExpression(node) ||
		ts.isTypeAssertionExpression(node)
	)
		node = node.expression;
	return node;
}

export function where(module: Module, node: ts.Node): string {
	const { line } = module.source.getLineAndCharacterOfPosition(node.getStart());
	return `${path.basename(module.file)}:${line + 1}`;
}
