import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * A pure file scan of the repository's TypeScript imports, for the slice-contract test: which file imports which
 * file of the repo, and whether only types.
 */

export const ROOT = resolve(__dirname, '..', '..');

/** Folders of src/ that are not slices: shared plumbing, the bot frame and the two composition roots (one list,
 * also read by eslint.config.mjs). */
export const NOT_SLICES = new Set<string>(
  JSON.parse(readFileSync(join(__dirname, 'not-slices.json'), 'utf8')) as string[],
);

/** The composition roots: the only modules outside a slice allowed to import its workflows / activities. */
export const COMPOSITION_ROOTS: Record<string, 'workflows' | 'activities'> = {
  'src/workflows/index.ts': 'workflows',
  'src/activities/index.ts': 'activities',
};

export function slices(): string[] {
  return readdirSync(join(ROOT, 'src'))
    .filter((name) => statSync(join(ROOT, 'src', name)).isDirectory() && !NOT_SLICES.has(name))
    .sort();
}

export function tsFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const name of readdirSync(abs)) {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules') out.push(...tsFiles(relative(ROOT, path)));
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
      out.push(relative(ROOT, path).split(sep).join('/'));
    }
  }
  return out;
}

export interface Import {
  /** Importing file, relative to the repository root. */
  from: string;
  /** Imported module resolved to a repository path without extension (e.g. `src/analysis/index`). */
  target: string;
  typeOnly: boolean;
  line: number;
}

/** Every relative import / export-from / dynamic import in `file` that lands inside the repository. */
export function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: Import[] = [];
  const add = (specifier: string, typeOnly: boolean, node: ts.Node) => {
    if (!specifier.startsWith('.')) return;
    const target = resolveModule(join(dirname(file), specifier));
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    out.push({ from: file, target, typeOnly, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly, node);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly, node);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false, node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      if (ts.isStringLiteral(lit)) add(lit.text, true, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** `src/analysis` → `src/analysis/index`, `src/analysis/client` stays; paths relative to the root, `/`-separated. */
function resolveModule(path: string): string {
  const rel = path
    .split(sep)
    .join('/')
    .replace(/\.(ts|js)$/, '');
  if (existsSync(join(ROOT, `${rel}.ts`))) return rel;
  if (existsSync(join(ROOT, rel, 'index.ts'))) return `${rel}/index`;
  return rel;
}

/** `src/<slice>/...` → the slice, else null. */
export function sliceOf(path: string, all: string[]): string | null {
  const m = /^src\/([^/]+)\//.exec(path);
  return m && all.includes(m[1]) ? m[1] : null;
}
