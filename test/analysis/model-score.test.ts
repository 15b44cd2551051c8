/**
 * `npm run model:score`: JSON lines piped through the real script give the bot's own probability for the real
 * recorded lobby, tolerate nulls, and name bad lines on stderr with exit code 1 (docs/model-score.md).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { analyzeLobby } from '../../src/analysis/model/analyze';
import { sampleLobby } from './samples';

const ROOT = path.join(__dirname, '../..');

function run(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'model:score'], { cwd: ROOT, env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('npm run model:score', () => {
  jest.setTimeout(60_000);

  it('scores lines as the bot does: the real lobby, ELO only, nothing known; blank lines skipped', async () => {
    const a = analyzeLobby(sampleLobby());
    const inputs = a.modelInputs!;
    const lines = [
      JSON.stringify({ id: a.matchId, teams: [inputs.faction1, inputs.faction2] }),
      '',
      // Reversed: team A is now faction2.
      JSON.stringify({ id: 2, teams: [inputs.faction2, inputs.faction1] }),
      JSON.stringify({ teams: [{ mean_elo: 2100, recent_rating: null }, { mean_elo: 2000 }] }),
      JSON.stringify({ id: 'empty', teams: [{}, {}] }),
    ];
    const r = await run(lines.join('\n') + '\n');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('model:score:');
    const out = r.stdout.trimEnd().split('\n');
    expect(out).toEqual([
      a.modelWinProbability!.faction1.toFixed(6),
      a.modelWinProbability!.faction2.toFixed(6),
      // ELO alone for +100: the formula's 64.0 % recalibrated to 59.9 %.
      '0.599397',
      '0.500000',
    ]);
  });

  it('a bad line: null in its place, the line number and field on stderr, exit code 1', async () => {
    const good = JSON.stringify({ teams: [{ mean_elo: 2000 }, { mean_elo: 2000 }] });
    const r = await run(
      [
        good,
        '{"teams": [{"mean_elo": "2100"}, {}]}',
        'not json',
        '{"teams": [{"meanElo": 2100}, {}]}',
        '{"teams": [{}]}',
        good,
      ].join('\n'),
    );
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toEqual(['0.500000', 'null', 'null', 'null', 'null', '0.500000']);
    expect(r.stderr).toContain('model:score: line 2: teams[0].mean_elo: Expected number, received string');
    expect(r.stderr).toContain('model:score: line 3: not JSON');
    expect(r.stderr).toContain('model:score: line 4: teams[0]: Unrecognized key(s) in object');
    expect(r.stderr).toContain('meanElo');
    expect(r.stderr).toMatch(/model:score: line 5: teams/);
    expect(r.stderr).toContain('4 bad line(s) of 6');
  });
});
