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

/** The packages (non-relative specifiers, by package name) `file` imports as values (type-only imports left out). */
export function packageImportsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out = new Set<string>();
  const add = (specifier: string) => {
    if (specifier.startsWith('.')) return;
    const parts = specifier.split('/');
    out.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
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
      if (!typeOnly) add(node.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...out];
}

/** Every repository module `file` loads at run time, itself included (value imports, followed transitively). */
export function loadedBy(file: string): Set<string> {
  const seen = new Set<string>();
  const visit = (module: string) => {
    if (seen.has(module) || !existsSync(join(ROOT, `${module}.ts`))) return;
    seen.add(module);
    for (const i of importsOf(`${module}.ts`)) if (!i.typeOnly) visit(i.target);
  };
  visit(file.replace(/\.ts$/, ''));
  return seen;
}

/** `src/analysis/client` → `analysis`, `src/config` → `config`: the top-level folder (or file) of src/, else null. */
export function topOf(path: string): string | null {
  const m = /^src\/([^/]+?)(?:\/|$)/.exec(path);
  return m ? m[1] : null;
}

/**
 * The cycles between top-level folders of src/ that `imports` make (type-only imports count: a cycle of types is a
 * cycle of design), each as the folders in order and the imports that close it (`file:line imports target`).
 * Tarjan's strongly connected components over the folder graph; one entry per component of more than one folder.
 */
export function folderCycles(imports: Import[]): Array<{ folders: string[]; edges: string[] }> {
  const edges = new Map<string, Map<string, string[]>>();
  for (const i of imports) {
    const a = topOf(i.from);
    const b = topOf(i.target);
    if (!a || !b || a === b) continue;
    const out = edges.get(a) ?? new Map<string, string[]>();
    edges.set(a, out);
    const list = out.get(b) ?? [];
    out.set(b, list);
    list.push(`${i.from}:${i.line} imports ${i.target}`);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strong = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) strong(v);
  return components.map((folders) => ({
    folders,
    edges: folders.flatMap((a) =>
      folders.flatMap((b) => (a === b ? [] : (edges.get(a)?.get(b) ?? []).slice(0, 3))),
    ),
  }));
}
