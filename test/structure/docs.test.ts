import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ROOT } from './imports';

/**
 * The documents a newcomer reads (issue 25): the README stays short, and every relative link in every Markdown file
 * of the repository leads somewhere — to a file or folder that exists and, for `file.md#anchor`, to a heading of
 * that file. External links (http:, https:, mailto:) are not checked.
 */
const README_MAX_BYTES = 10 * 1024;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage']);

function markdownFiles(dir = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = dir ? `${dir}/${name}` : name;
    if (statSync(join(ROOT, rel)).isDirectory()) {
      if (!name.startsWith('.') && !SKIP_DIRS.has(name)) out.push(...markdownFiles(rel));
    } else if (name.endsWith('.md')) {
      out.push(rel);
    }
  }
  return out.sort();
}

/** The text outside fenced code blocks and inline code spans (links there are examples, not links). */
function prose(text: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      lines.push('');
      continue;
    }
    lines.push(fenced ? '' : line.replace(/`[^`]*`/g, ''));
  }
  return lines;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

function linksOf(file: string): Link[] {
  const links: Link[] = [];
  prose(readFileSync(join(ROOT, file), 'utf8')).forEach((text, i) => {
    // [text](target) and [text](target "title"); images too.
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ file, line: i + 1, target: m[1] });
    }
  });
  return links;
}

function problem({ file, target }: Link): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // http:, https:, mailto:
  const [path, anchor] = target.split('#', 2);
  const resolved = path ? resolve(ROOT, dirname(file), decodeURIComponent(path)) : join(ROOT, file);
  if (!resolved.startsWith(ROOT + sep) && resolved !== ROOT) return 'leaves the repository';
  if (!existsSync(resolved)) return 'no such file';
  if (anchor && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
    return `no heading #${anchor} in ${relative(ROOT, resolved).split(sep).join('/')}`;
  }
  return undefined;
}

const FILES = markdownFiles();

describe('documents', () => {
  it('finds the documents it checks', () => {
    expect(FILES).toEqual(
      expect.arrayContaining([
        'README.md',
        'ARCHITECTURE.md',
        'CONTRIBUTING.md',
        'BENCHMARKS.md',
        'docs/README.md',
        'bench/README.md',
      ]),
    );
    expect(FILES.flatMap(linksOf).length).toBeGreaterThan(50);
  });

  it('keeps README.md at most 10 KB', () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('resolves every relative link in every Markdown file (files and #anchors)', () => {
    const broken = FILES.flatMap(linksOf).flatMap((link) => {
      const why = problem(link);
      return why ? [`${link.file}:${link.line} → ${link.target}: ${why}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it('reads anchors the way GitHub writes them', () => {
    const anchors = anchorsOf(
      '# Why slonik 46\n## Worker start-up (`npm run bench:worker-startup`)\n# Why slonik 46',
    );
    expect([...anchors]).toEqual([
      'why-slonik-46',
      'worker-start-up-npm-run-benchworker-startup',
      'why-slonik-46-1',
    ]);
  });

  it('lists every docs/ page in the docs index', () => {
    const index = readFileSync(join(ROOT, 'docs', 'README.md'), 'utf8');
    const pages = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(pages.filter((page) => !index.includes(`](${page}`))).toEqual([]);
  });
});
