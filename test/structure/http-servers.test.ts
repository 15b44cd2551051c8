import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT, tsFiles } from './imports';

/**
 * No request can stop a process because every HTTP port of the product is opened by src/ops/http.ts (safe target
 * parsing, every handler inside a catch, parser errors answered, limits). This finds any other HTTP server in src/.
 */
const WRAPPER = 'src/ops/http.ts';
const HTTP_MODULES = /^(node:)?(http|https|http2)$/;
const SERVER_NAMES = new Set(['createServer', 'createSecureServer', 'Server']);

function httpServersIn(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const where = (node: ts.Node) =>
    `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const namespaces = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (HTTP_MODULES.test(node.moduleSpecifier.text)) {
        const bindings = node.importClause?.namedBindings;
        if (node.importClause?.name) namespaces.add(node.importClause.name.text);
        if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
        if (bindings && ts.isNamedImports(bindings))
          for (const el of bindings.elements)
            if (!el.isTypeOnly && !node.importClause?.isTypeOnly)
              if (SERVER_NAMES.has((el.propertyName ?? el.name).text)) found.push(where(el));
      }
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      namespaces.has(node.expression.text) &&
      SERVER_NAMES.has(node.name.text)
    )
      found.push(where(node));
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'require' &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0]) &&
      HTTP_MODULES.test(node.arguments[0].text)
    )
      found.push(where(node));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('HTTP servers', () => {
  it('are opened only by src/ops/http.ts', () => {
    const others = tsFiles('src')
      .filter((f) => f !== WRAPPER)
      .flatMap(httpServersIn);
    expect(others).toEqual([]);
  });

  it('sees the server it allows (a scan that finds nothing would pass everything)', () => {
    expect(httpServersIn(WRAPPER).length).toBeGreaterThan(0);
  });
});
