import ts from 'typescript';
import { guardFile, resolveSpecifier, unwrap, type Module } from './modules';
import { settle, isUnfollowable } from './values';

/** A call to a function guard.ts exports, with its literal arguments. */
export interface GuardCall {
	guard: string;
	/** String literal arguments in order (a permission, an action), null where not literal. */
	literals: (string | null)[];
}

type FunctionNode = ts.FunctionLikeDeclaration;

/**
 * The guards a handler is sure to run before it can return: calls it makes at its own level
 * (not inside a nested function, a branch, a loop or a catch), ahead of its first `return`,
 * either to a guard or to a function of the same module that is itself sure to run one.
 */
export function guardsRun(module: Module, fn: FunctionNode, names: Set<string>): GuardCall[] {
	return walk(module, fn, names, new Set());
}

function walk(module: Module, fn: FunctionNode, names: Set<string>, visiting: Set<ts.Node>) {
	if (visiting.has(fn) || !fn.body) return [];
	visiting.add(fn);
	const returnsBy = firstReturnEnd(fn);
	const found: GuardCall[] = [];
	const visit = (node: ts.Node) => {
		if (node !== fn && ts.isFunctionLike(node)) return;
		if (ts.isCallExpression(node) && node.getStart() < returnsBy && unconditional(node, fn)) {
			const guard = guardCalled(module, node, names);
			if (guard) found.push({ guard, literals: node.arguments.map(literal) });
			else {
				const local = localFunction(module, node);
				if (local) found.push(...walk(module, local, names, visiting));
			}
		}
		node.forEachChild(visit);
	};
	visit(fn.body);
	visiting.delete(fn);
	return found;
}

/** Where the first `return` of the function itself ends; an expression body never returns early. */
function firstReturnEnd(fn: FunctionNode): number {
	let end = Infinity;
	const visit = (node: ts.Node) => {
		if (ts.isFunctionLike(node)) return;
		if (ts.isReturnStatement(node)) end = Math.min(end, node.getEnd());
		node.forEachChild(visit);
	};
	if (fn.body && ts.isBlock(fn.body)) fn.body.forEachChild(visit);
	return end;
}

/** Whether a call runs every time the function body does (ignoring exceptions). */
function unconditional(call: ts.Node, fn: FunctionNode): boolean {
	for (
		let child = call, parent = call.parent;
		child !== fn.body;
		child = parent, parent = parent.parent
	) {
		if (ts.isIfStatement(parent) && child !== parent.expression) return false;
		if (ts.isConditionalExpression(parent) && child !== parent.condition) return false;
		if (
			ts.isBinaryExpression(parent) &&
			child === parent.right &&
			[
				ts.SyntaxKind.AmpersandAmpersandToken,
				ts.SyntaxKind.BarBarToken,
				ts.SyntaxKind.QuestionQuestionToken,
				ts.SyntaxKind.AmpersandAmpersandEqualsToken,
				ts.SyntaxKind.BarBarEqualsToken,
				ts.SyntaxKind.QuestionQuestionEqualsToken
			].includes(parent.operatorToken.kind)
		)
			return false;
		if (ts.isIterationStatement(parent, false) || ts.isCaseOrDefaultClause(parent)) return false;
		if (ts.isCatchClause(parent)) return false;
		if (ts.isOptionalChain(parent) && parent !== call) return false;
	}
	return !(ts.isCallExpression(call) && call.questionDotToken);
}

/** The guard a call invokes, if its callee is an import of guard.ts (named or through `* as`). */
function guardCalled(module: Module, call: ts.CallExpression, names: Set<string>): string | null {
	const callee = unwrap(call.expression);
	if (ts.isIdentifier(callee)) {
		const declaration = module.checker.getSymbolAtLocation(callee)?.declarations?.[0];
		if (!declaration || !ts.isImportSpecifier(declaration)) return null;
		const name = (declaration.propertyName ?? declaration.name).getText();
		return fromGuardFile(module, declaration.parent.parent.parent) && names.has(name) ? name : null;
	}
	if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
		const declaration = module.checker.getSymbolAtLocation(callee.expression)?.declarations?.[0];
		if (!declaration || !ts.isNamespaceImport(declaration)) return null;
		const name = callee.name.text;
		return fromGuardFile(module, declaration.parent.parent) && names.has(name) ? name : null;
	}
	return null;
}

function fromGuardFile(
	module: Module,
	declaration: ts.ImportDeclaration | ts.JSDocImportTag
): boolean {
	if (declaration.importClause?.isTypeOnly) return false;
	const specifier = (declaration.moduleSpecifier as ts.StringLiteral).text;
	return resolveSpecifier(module.file, specifier) === guardFile;
}

/** The function a call invokes when that function is declared in the same module. */
function localFunction(module: Module, call: ts.CallExpression): FunctionNode | null {
	const callee = unwrap(call.expression);
	if (!ts.isIdentifier(callee)) return null;
	const declaration = module.checker.getSymbolAtLocation(callee)?.declarations?.[0];
	if (!declaration || declaration.getSourceFile() !== module.source) return null;
	if (ts.isImportSpecifier(declaration) || ts.isImportClause(declaration)) return null;
	const settled = settle({ module, node: declaration });
	if (isUnfollowable(settled) || settled.module !== module) return null;
	return ts.isFunctionLike(settled.node) ? (settled.node as FunctionNode) : null;
}

function literal(node: ts.Expression): string | null {
	const value = unwrap(node);
	return ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value) ? value.text : null;
}
