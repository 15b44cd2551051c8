/**
 * npm run model:score — the shipped model on any dataset (docs/model-score.md).
 *
 *   npm run --silent model:score < matches.jsonl > probabilities.txt
 *
 * stdin: JSON lines, one match each, `{"id": …, "teams": [A, B]}`, each team an object of the pre-match aggregates
 * (AGGREGATE_KEYS: numbers, null where unknown; a missing key counts as null). stdout: one line per match, team A's
 * win probability from the shipped model (src/analysis/model/prediction.ts `scoreMatch`, the function the bot's
 * analysis calls). Blank lines are skipped. A bad line prints `null` in its place (the output stays aligned with the
 * matches), a message naming its line number on stderr, and the exit code is 1 at the end; otherwise 0.
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { AGGREGATE_KEYS, scoreMatch } from '../src/analysis/model';

const aggregate = z.number().finite().nullable().optional();
const team = z
  .object(Object.fromEntries(AGGREGATE_KEYS.map((k) => [k, aggregate])) as Record<string, typeof aggregate>)
  .strict();
const line = z.object({
  id: z.union([z.string(), z.number()]).nullable().optional(),
  teams: z.tuple([team, team]),
});

/** Team A's probability for one line, or the reason it cannot be scored. */
export function scoreLine(text: string): { ok: true; p: number } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const parsed = line.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue.path.length > 0
        ? issue.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i > 0 ? `.${k}` : k)).join('')
        : 'line';
    const keys = issue.code === 'unrecognized_keys' ? ` ${issue.keys.join(', ')}` : '';
    return { ok: false, error: `${where}: ${issue.message}${keys}` };
  }
  const [a, b] = parsed.data.teams;
  // Nothing known at all: the model has no favourite.
  return { ok: true, p: scoreMatch(a, b).model ?? 0.5 };
}

async function main(): Promise<void> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  let bad = 0;
  const out: string[] = [];
  const flush = () => {
    if (out.length > 0) process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  };
  for await (const text of rl) {
    n += 1;
    if (text.trim() === '') continue;
    const r = scoreLine(text);
    if (r.ok) out.push(r.p.toFixed(6));
    else {
      bad += 1;
      out.push('null');
      process.stderr.write(`model:score: line ${n}: ${r.error}\n`);
    }
    if (out.length >= 1000) flush();
  }
  flush();
  if (bad > 0) {
    process.stderr.write(`model:score: ${bad} bad line(s) of ${n}; each printed as null\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
