import path from 'node:path';
import ts from 'typescript';
import { loadModule, type Module } from './modules';
import { exportsOf, isUnfollowable, settle, UNKNOWN_STAR, type Settled } from './values';

/** The names SvelteKit calls in each kind of server route module. */
const handlerNames: Record<string, readonly string[]> = {
	'+page.server.ts': ['load', 'actions'],
	'+layout.server.ts': ['load'],
	'+server.ts': ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'fallback']
};

export const isRouteModule = (file: string) => Object.hasOwn(handlerNames, path.basename(file));

/** One function SvelteKit may call for a request: a load, one action or one HTTP method. */
export type Handler = { name: string } & (
	{ module: Module; fn: ts.FunctionLikeDeclaration } | { unfollowable: string }
);

/**
 * Every handler a route module exports, however it is written: `export const`, `export
 * function`, `export { a as GET }`, re-exports from project files and `export *`; and each
 * action however the actions object spells it. What cannot be followed comes back as such.
 */
export function routeHandlers(file: string): Handler[] {
	const names = handlerNames[path.basename(file)] ?? [];
	const exported = exportsOf(loadModule(file));
	const found: Handler[] = [];
	const star = exported.get(UNKNOWN_STAR);
	if (isUnfollowable(star)) found.push({ name: 'export *', ...star });
	for (const name of names) {
		const value = exported.get(name);
		if (!value) continue;
		if (name === 'actions') found.push(...actionsOf(value));
		else found.push(asFunction(name, value));
	}
	return found;
}

function asFunction(name: string, value: Settled): Handler {
	const settled = isUnfollowable(value) ? value : settle(value);
	if (isUnfollowable(settled)) return { name, ...settled };
	if (!ts.isFunctionLike(settled.node)) return { name, unfollowable: `${name} is not a function` };
	return { name, module: settled.module, fn: settled.node as ts.FunctionLikeDeclaration };
}

function actionsOf(value: Settled, seen = new Set<ts.Node>()): Handler[] {
	const settled = isUnfollowable(value) ? value : settle(value);
	if (isUnfollowable(settled)) return [{ name: 'actions', ...settled }];
	const { module, node } = settled;
	if (!ts.isObjectLiteralExpression(node) || seen.has(node))
		return [{ name: 'actions', unfollowable: 'actions is not an object literal' }];
	seen.add(node);
	return node.properties.flatMap((property): Handler[] => {
		if (ts.isSpreadAssignment(property))
			return actionsOf({ module, node: property.expression }, seen);
		const key = property.name;
		const name = `actions.${key && ts.isStringLiteral(key) ? key.text : (key?.getText() ?? '?')}`;
		if (ts.isMethodDeclaration(property)) return [{ name, module, fn: property }];
		if (ts.isPropertyAssignment(property))
			return [asFunction(name, { module, node: property.initializer })];
		if (ts.isShorthandPropertyAssignment(property))
			return [asFunction(name, { module, node: property })];
		return [
			{ name, unfollowable: `${ts.SyntaxKind[property.kind]} is not an action the test can read` }
		];
	});
}
