import { spawn } from 'node:child_process';
import { faceitCalls, freshLobby, startAnalysisStack, type AnalysisStack } from './workflow-helpers';

/** `npm run analyze -- <room URL>`: the same workflow through Temporal, on the critical tier, printed as plain text. */
describe('operator entry: npm run analyze', () => {
  let stack: AnalysisStack;

  beforeAll(async () => {
    stack = await startAnalysisStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('prints the report, the time per stage and the FACEIT calls spent', async () => {
    const lobby = await freshLobby(stack);
    stack.faceit.control.resetCounters();
    const env: Record<string, string> = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' };
    for (const key of [
      'TASK_QUEUE_CRITICAL',
      'TASK_QUEUE_HIGH',
      'TASK_QUEUE_DEFAULT',
      'TASK_QUEUE_LOW',
    ] as const) {
      env[key] = stack.config[key];
    }
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'scripts/analyze.ts', lobby.roomUrl, '--locale', 'en'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, err: code === 0 ? '' : err }).toEqual({ code: 0, err: '' });

    if (process.env.SHOW_OUTPUT) console.log(err + out);
    expect(out).toContain('Lobby analysis');
    expect(out).not.toMatch(/<\/?b>/);
    for (const p of lobby.teams.faction1.players) expect(out).toContain(p.nickname);
    expect(out).toMatch(/fetching-players\s+\d+/);
    expect(out).toMatch(/analysing\s+\d+/);
    const spent = /FACEIT calls spent: (\d+) \(served from the cache: (\d+)/.exec(out);
    expect(Number(spent?.[1])).toBe(faceitCalls(stack).total);
    expect(err).toContain(stack.config.TASK_QUEUE_CRITICAL);
    expect(err).toMatch(/fetching-players \d+\/10/);
  }, 60_000);
});
