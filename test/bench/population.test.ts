import { capacity, DEFAULTS, lobbies, searchServed, simulate } from '../../bench/population';
import { Rng } from '../../emulators/faceit/prng';
import { loadConfig } from '../../src/config';

/**
 * bench:population's answer (daily users one key serves) rests on its trace: who plays, with whom, who is our user,
 * who is tracked. These check, seeded and small, that the generator produces what its assumptions say, and that the
 * served-users figure is read off the waits the way BENCHMARKS says.
 */
describe('bench:population: the trace generator', () => {
  const DAY = 86_400;
  const small = { ...DEFAULTS, users: 2_000 };
  const world = (a = small) => lobbies(a, new Rng(a.seed));

  it('fills every lobby with ten different players, and a party always plays on one team', () => {
    const { matches, units } = world();
    expect(matches.length).toBeGreaterThan(1_000);
    const unitOf = new Map<number, number[]>();
    for (const u of units) for (const p of u.members) unitOf.set(p, u.members);
    matches.forEach((m, i) => {
      expect(new Set(m.players).size).toBe(10);
      const teamOf = new Map<number, string>();
      m.players.forEach((p, slot) => teamOf.set(p, `${i}:${slot < 5 ? 'a' : 'b'}`));
      // Every member of a party sits on the same team of this lobby.
      for (const p of m.players) for (const q of unitOf.get(p)!) expect(teamOf.get(q)).toBe(teamOf.get(p));
    });
  });

  it('makes the party rate the share of queue units that are parties (2–5 players)', () => {
    for (const partyRate of [0.2, 0.35, 0.5]) {
      const { units } = world({ ...small, partyRate });
      const parties = units.filter((u) => u.members.length > 1);
      expect(parties.length / units.length).toBeCloseTo(partyRate, 1);
      expect(Math.abs(parties.length / units.length - partyRate)).toBeLessThan(0.02);
      expect(Math.max(...parties.map((u) => u.members.length))).toBe(5);
    }
  });

  it('makes the bot share the share of the player world who are our users, who, being the keen players, fill more lobby slots', () => {
    for (const botShare of [0.05, 0.1, 0.2]) {
      const { isUser, matches, world: size } = world({ ...small, botShare });
      const users = isUser.reduce((s, x) => s + x, 0);
      expect(Math.abs(users / size - botShare)).toBeLessThan(0.01);
      let slots = 0;
      let userSlots = 0;
      for (const m of matches)
        for (const p of m.players) {
          slots++;
          userSlots += isUser[p] ?? 0; // the last party may reach past the world: never a user
        }
      // Chosen with odds proportional to how much they play: 1.5–2× their share of the world (0.18 at 0.1).
      expect(userSlots / slots).toBeGreaterThan(1.4 * botShare);
      expect(userSlots / slots).toBeLessThan(2.2 * botShare);
    }
  });

  it('has about N of our users play on the measured day (up to ~15 % more: last night’s sessions run past midnight)', () => {
    const { isUser, matches } = world();
    const last = (small.days - 1) * DAY;
    const playing = new Set<number>();
    for (const m of matches)
      if (m.created >= last && m.created < last + DAY)
        for (const p of m.players) if (isUser[p]) playing.add(p);
    expect(playing.size).toBeGreaterThanOrEqual(small.users);
    expect(playing.size).toBeLessThan(1.15 * small.users);
  });

  it('tracks the tracked share of our users and briefs about the brief share of their matches', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    const few = simulate({ ...small, trackedShare: 0.05, briefShare: 0.5 }, config);
    const many = simulate({ ...small, trackedShare: 0.15, briefShare: 0.5 }, config);
    expect(Math.abs(few.tracked_users / few.users_seen - 0.05)).toBeLessThan(0.015);
    expect(Math.abs(many.tracked_users / many.users_seen - 0.15)).toBeLessThan(0.02);
    // Three times the tracked users: about three times the briefs and the monitoring calls.
    expect(many.briefs / few.briefs).toBeGreaterThan(2.2);
    expect(many.briefs / few.briefs).toBeLessThan(3.8);
    expect(many.calls.monitoring / few.calls.monitoring).toBeGreaterThan(2.2);
    // A light population on one key: every report arrives, in seconds.
    expect(few.wait.free.unanswered).toBe(0);
    expect(few.wait.free.p95_s).toBeLessThan(30);
    expect(few.delivered).toBeGreaterThan(0.95 * (few.requests + few.briefs));
  });
});

describe('bench:population: the daily users one key serves', () => {
  it('interpolates between the last population under the 120 s FREE p95 and the first over it', () => {
    const points = [
      { users: 4_000, freeP95: 6 },
      { users: 8_000, freeP95: 60 },
      { users: 12_000, freeP95: 180 },
      { users: 16_000, freeP95: 900 },
    ];
    // 60 s at 8,000 and 180 s at 12,000: 120 s half way.
    expect(capacity(points)).toBe(10_000);
    expect(capacity([...points].reverse())).toBe(10_000);
    expect(capacity(points.slice(0, 2))).toBe('≥ 8000');
    expect(capacity(points.slice(2))).toBe('< 12000');
  });

  it('searches the knee from a guess on either side and lands on it', () => {
    // Linear waits: exactly 12,000 users at 120 s, whichever side the guess is on.
    for (const guess of [2_000, 8_000, 30_000]) {
      const found = searchServed((users) => users / 100, guess);
      expect(found.served).toBe(12_000);
      expect(found.points.length).toBeLessThan(16);
    }
    // A knee as sharp as the model's (waits doubling every 1,000 users): within the search's 4 %.
    const sharp = searchServed((users) => 2 ** (users / 1_000), 8_000);
    const knee = Math.log2(120) * 1_000;
    expect(Math.abs((sharp.served as number) - knee) / knee).toBeLessThan(0.04);
    expect(searchServed(() => 1, 8_000, { max: 50_000 }).served).toMatch(/^≥ /);
    expect(searchServed(() => 1_000, 8_000).served).toMatch(/^< /);
  });
});
