/** The model's numbers: what docs/model.md documents is what weights.ts ships, and both are issue 23's facts. */
import fs from 'node:fs';
import path from 'node:path';
import { MODEL, MODEL_SOURCE } from '../../src/analysis/model/weights';

const doc = fs.readFileSync(path.join(__dirname, '../../docs/model.md'), 'utf8');

/** `| \`name\` | number | ...` rows of the "The model's numbers" table. */
function documented(): Record<string, number> {
  const section = doc.slice(
    doc.indexOf("## The model's numbers"),
    doc.indexOf('\n## ', doc.indexOf("## The model's numbers") + 5),
  );
  const out: Record<string, number> = {};
  for (const m of section.matchAll(/^\|\s*`(\w+)`\s*\|\s*(-?[\d.]+)\s*\|/gmu)) out[m[1]] = Number(m[2]);
  return out;
}

describe('the model in one file', () => {
  it('docs/model.md lists exactly the shipped weights, with the same numbers', () => {
    const table = documented();
    expect(Object.keys(table).sort()).toEqual(Object.keys(MODEL).sort());
    for (const [name, value] of Object.entries(MODEL)) expect(table[name]).toBe(value);
  });

  it('ships the numbers measured on the 2,001 real matches of issue 23', () => {
    expect(MODEL).toEqual({
      eloSlope: 0.7,
      recentRating: 1.9,
      mapRating: 1.7,
      mapWinRate: 2.1,
      form: -0.1,
      soloPlayers: -0.08,
    });
    expect(MODEL_SOURCE).toContain('2,001 real FACEIT matches');
    expect(doc).toContain('2,001 real FACEIT matches');
  });
});
