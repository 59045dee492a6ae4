import ts from 'typescript';
import { isExported, loadModule, resolveSpecifier, unwrap, where, type Module } from './modules';

/** A node that gives a value, in the module that holds it. */
export interface Value {
	module: Module;
	node: ts.Node;
}

/** Why the test cannot tell what a name holds: such a handler fails, it never passes unseen. */
export interface Unfollowable {
	unfollowable: string;
}

export type Settled = Value | Unfollowable;

export const isUnfollowable = (v: Settled | undefined): v is Unfollowable =>
	!!v && 'unfollowable' in v;

/** A function or object literal as written somewhere: the end of every chain `settle` follows. */
export type Definition = ts.FunctionLikeDeclaration | ts.ObjectLiteralExpression;

const isDefinition = (node: ts.Node): node is Definition =>
	ts.isObjectLiteralExpression(node) ||
	ts.isFunctionDeclaration(node) ||
	ts.isFunctionExpression(node) ||
	ts.isArrowFunction(node) ||
	ts.isMethodDeclaration(node);

/**
 * Follows a value to the function or object literal that defines it: through local constants,
 * function declarations, `export { a as b }` and imports of project files. Anything else (a
 * call that builds the handler, a package, a destructured binding) is unfollowable.
 */
export function settle(value: Value, seen = new Set<ts.Node>()): Settled {
	const { module } = value;
	let node = ts.isExpression(value.node) ? unwrap(value.node) : value.node;
	if (seen.has(node)) return { unfollowable: `${where(module, node)} refers to itself` };
	seen.add(node);
	if (isDefinition(node)) return { module, node };
	if (ts.isIdentifier(node) || ts.isShorthandPropertyAssignment(node)) {
		const symbol = ts.isShorthandPropertyAssignment(node)
			? module.checker.getShorthandAssignmentValueSymbol(node)
			: module.checker.getSymbolAtLocation(node);
		const declaration = symbol?.declarations?.[0];
		if (!declaration)
			return { unfollowable: `${where(module, node)}: nothing here declares ${node.getText()}` };
		return settle({ module, node: declaration }, seen);
	}
	if (ts.isVariableDeclaration(node)) {
		if (!ts.isIdentifier(node.name) || !node.initializer)
			return { unfollowable: `${where(module, node)}: a destructured or uninitialised binding` };
		return settle({ module, node: node.initializer }, seen);
	}
	if (ts.isImportSpecifier(node)) {
		const declaration = node.parent.parent.parent;
		const specifier = (declaration.moduleSpecifier as ts.StringLiteral).text;
		const target = resolveSpecifier(module.file, specifier);
		if (!target)
			return {
				unfollowable: `${where(module, node)}: imported from '${specifier}', not a project file`
			};
		const name = (node.propertyName ?? node.name).getText();
		const exported = exportsOf(loadModule(target)).get(name);
		if (!exported)
			return { unfollowable: `${where(module, node)}: '${specifier}' exports no ${name}` };
		return isUnfollowable(exported) ? exported : settle(exported, seen);
	}
	if (ts.isExportSpecifier(node)) {
		const symbol = module.checker.getExportSpecifierLocalTargetSymbol(node);
		const declaration = symbol?.declarations?.[0];
		if (!declaration) return { unfollowable: `${where(module, node)}: nothing declares it` };
		return settle({ module, node: declaration }, seen);
	}
	node = value.node;
	return {
		unfollowable: `${where(module, node)}: ${ts.SyntaxKind[node.kind]} (${node.getText().slice(0, 40)}) is not a function the test can read`
	};
}

/** The key under which an `export * from` that cannot be followed is listed. */
export const UNKNOWN_STAR = '*';

const exportCache = new Map<Module, Map<string, Settled>>();

/**
 * Every name a module exports, with the node that gives its value (not yet settled). Names
 * re-exported from a module the test cannot read are unfollowable; an unreadable
 * `export * from` is listed under UNKNOWN_STAR, since any name could come from it.
 */
export function exportsOf(module: Module, reading = new Set<Module>()): Map<string, Settled> {
	const cached = exportCache.get(module);
	if (cached) return cached;
	const names = new Map<string, Settled>();
	if (reading.has(module)) return names;
	reading.add(module);
	const stars: Map<string, Settled>[] = [];
	for (const statement of module.source.statements) {
		if (ts.isFunctionDeclaration(statement) && statement.name && isExported(statement)) {
			names.set(statement.name.text, { module, node: statement });
		} else if (ts.isVariableStatement(statement) && isExported(statement)) {
			for (const d of statement.declarationList.declarations) {
				if (ts.isIdentifier(d.name)) names.set(d.name.text, { module, node: d });
				else
					for (const element of bindingNames(d.name))
						names.set(element, {
							unfollowable: `${where(module, d)}: exported from a destructuring`
						});
			}
		} else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
			readExportDeclaration(module, statement, names, stars, reading);
		}
	}
	// Names a module declares itself win over those it passes on with `export *`.
	for (const star of stars)
		for (const [name, value] of star)
			if (!names.has(name) && name !== 'default') names.set(name, value);
	exportCache.set(module, names);
	return names;
}

function readExportDeclaration(
	module: Module,
	statement: ts.ExportDeclaration,
	names: Map<string, Settled>,
	stars: Map<string, Settled>[],
	reading: Set<Module>
) {
	const specifier =
		statement.moduleSpecifier && (statement.moduleSpecifier as ts.StringLiteral).text;
	const target = specifier ? resolveSpecifier(module.file, specifier) : undefined;
	const clause = statement.exportClause;
	const cannot = {
		unfollowable: `${where(module, statement)}: re-exported from '${specifier}', not a project file`
	};
	if (!clause) {
		if (!target) names.set(UNKNOWN_STAR, cannot);
		else stars.push(exportsOf(loadModule(target), reading));
		return;
	}
	if (ts.isNamespaceExport(clause)) {
		names.set(clause.name.text, {
			unfollowable: `${where(module, statement)}: a namespace re-export`
		});
		return;
	}
	for (const element of clause.elements) {
		if (element.isTypeOnly) continue;
		const exported = element.name.text;
		if (!specifier) {
			names.set(exported, { module, node: element });
			continue;
		}
		if (!target) {
			names.set(exported, cannot);
			continue;
		}
		const original = (element.propertyName ?? element.name).text;
		const value = exportsOf(loadModule(target), reading).get(original);
		names.set(
			exported,
			value ?? { unfollowable: `${where(module, element)}: '${specifier}' exports no ${original}` }
		);
	}
}

function bindingNames(name: ts.BindingName): string[] {
	if (ts.isIdentifier(name)) return [name.text];
	return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}
