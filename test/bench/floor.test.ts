import type { RequestLogEntry } from '../../emulators/faceit';
import { answeredCalls, shapeOf, steppedFloorMs, straightLineMs } from '../../bench/floor';

/**
 * The floor bench:analysis compares cold lobbies with: the limiter's own admission (10 slots, each held from send
 * until one window after the answer) over the lobby's call chain, from the answered calls only.
 */
describe('bench: the stepped rate-limit floor', () => {
  const limiter = { limit: 10, windowMs: 1000, latencyMs: 50 };
  const lobby = (players: number, lifetime: number) => ({
    match: 1,
    playerDetails: players,
    playerRecent: players,
    lifetime,
    other: 0,
    rateLimited: 0,
  });

  it('takes about two windows plus the chain of latencies for 30 calls, where the straight line says 3.05 s', () => {
    const thirty = lobby(10, 9);
    expect(answeredCalls(thirty)).toBe(30);
    // match + 9 | 10 | 10: two windows after the first sends, then match → player → lifetime latencies.
    expect(steppedFloorMs(thirty, limiter)).toBe(2_200);
    expect(straightLineMs(30, 10, 50)).toBe(3_050);
  });

  it('steps up by a window once the calls no longer fit: 31 calls need a fourth window', () => {
    expect(steppedFloorMs(lobby(10, 10), limiter)).toBe(3_200);
    expect(steppedFloorMs(lobby(10, 0), limiter)).toBe(2_150);
    expect(steppedFloorMs(lobby(10, 10), { ...limiter, latencyMs: 250 })).toBe(4_000);
  });

  it("counts what FACEIT answered: 429s are left out of the lobby's shape", () => {
    const at = Date.now();
    const entry = (endpoint: RequestLogEntry['endpoint'], status = 200): RequestLogEntry => ({
      at,
      method: 'GET',
      path: `/${endpoint}`,
      endpoint,
      status,
    });
    const shape = shapeOf([
      entry('match'),
      entry('player'),
      entry('player', 429),
      entry('playerMatchStats'),
      entry('playerStats'),
      entry('playerStats', 429),
    ]);
    expect(shape).toEqual({
      match: 1,
      playerDetails: 1,
      playerRecent: 1,
      lifetime: 1,
      other: 0,
      rateLimited: 2,
    });
    expect(answeredCalls(shape)).toBe(4);
  });
});
