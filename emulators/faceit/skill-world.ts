import type { LifetimeMapSegment, LifetimeStats, RecentMatchStats } from '../../src/analysis/model';
import type { DatasetPlayer, DatasetRecord } from '../../src/predictions';
import { type Faction, simulateLine, simulateOutcome, type StatLine } from './match-sim';
import { MAP_POOL, type SimPlayer, generatePlayer, levelForElo } from './players';
import { Rng, clamp } from './prng';
import { MAP_LABELS } from './render-players';

/**
 * A world for the prediction backtest (npm run bench:quality) in which the outcome of a match is NOT a function of
 * what the bot's model reads. Every player has a hidden skill, drawn once per player (on the ELO scale), and two
 * processes read it separately, each with its own noise:
 *
 *   - what FACEIT shows: the ELO (an established account starts at skill + N(0, eloNoise) and then moves by FACEIT's
 *     ±(25 + Δ/40) per result, so it drifts toward the skill with a lag; a new account starts at 1,000 whatever its
 *     skill), and per-match stat lines (K/D, ADR, kills... from match-sim.ts) generated from the skill the player
 *     plays at that day: skill + his current form (an AR(1) process, sd formSd) + his offset on the map (sd
 *     mapSpread), with a fixed per-player style bias on K/D and match-sim's per-match noise;
 *   - the result: P(faction1 wins) = σ( ln10/400 · (mean effective skill₁ − mean effective skill₂)
 *                                       + partyBonus · (players in a party₁ − players in a party₂) ).
 *
 * Smurfs are new accounts (few matches, ELO from 1,000) whose hidden skill is far above it. Friends (partyShare of the
 * established players, groups of 2–5) queue together with chance partyQueue, and a party helps its team beyond its
 * skill. Matchmaking fills a lobby with players near the first one's ELO and balances the teams' ELO, as FACEIT does.
 *
 * The dataset it returns is exactly what `forecastOf` reads from a collected one (levels, match-time ELO, each
 * player's last `window` items and lifetime figures, all from matches that finished before this one started); the
 * hidden skill, the form, the map offsets and the parties stay in `truth`, which the model never sees. Deterministic
 * by seed. The default FACEIT emulator world (world.ts) does not use it: its bodies are unchanged.
 */

export interface SkillWorldOptions {
  seed: string | number;
  /** Players in the world. */
  players?: number;
  /** Matches played before the first recorded one (players' histories). Default 4 × players (≈ 40 each). */
  warmupMatches?: number;
  /** Matches recorded after the warm-up. */
  matches?: number;
  /** Recent items per player in a record (the bot reads 20–30; the collector 20). */
  window?: number;
  /** sd of an established account's starting ELO around its skill. */
  eloNoise?: number;
  /** Sanity world: the ELO shown is the player's current skill (skill + form) exactly, never noisy or lagging. */
  eloIsSkill?: boolean;
  /** sd of a player's per-map skill offsets (ELO points). */
  mapSpread?: number;
  /** Stationary sd of a player's form (ELO points) and its persistence from one of his matches to the next. */
  formSd?: number;
  formPersistence?: number;
  /** sd of a player's fixed K/D style bias (K/D he shows beyond or below his skill). */
  styleSd?: number;
  /** Share of established players in friend groups, and a group member's chance to queue with the group. */
  partyShare?: number;
  partyQueue?: number;
  /** Logit per player in a party (difference of the teams' counts). */
  partyBonus?: number;
  /** Share of players who are smurfs (new accounts, skill far above ELO) and plain new accounts. */
  smurfShare?: number;
  newShare?: number;
}

export type SkillWorldParams = Required<SkillWorldOptions>;

export const SKILL_WORLD_DEFAULTS: Omit<SkillWorldParams, 'seed'> = {
  players: 2000,
  warmupMatches: 6000,
  matches: 2000,
  window: 20,
  eloNoise: 150,
  eloIsSkill: false,
  mapSpread: 50,
  formSd: 60,
  formPersistence: 0.9,
  styleSd: 0.08,
  partyShare: 0.35,
  partyQueue: 0.7,
  partyBonus: 0.1,
  smurfShare: 0.03,
  newShare: 0.05,
};

/** What generated a recorded match: never given to the model. */
export interface MatchTruth {
  matchId: string;
  /** The generating probability that faction1 wins (the oracle). */
  p: number;
  /** Players in a party, smurfs, and the mean match-time ELO, per faction. */
  partied: Record<Faction, number>;
  smurfs: Record<Faction, number>;
  meanElo: Record<Faction, number>;
  /** Mean effective (hidden) skill per faction. */
  meanSkill: Record<Faction, number>;
}

export interface SkillWorld {
  params: SkillWorldParams;
  records: DatasetRecord[];
  truth: MatchTruth[];
}

interface Totals {
  matches: number;
  wins: number;
  kdSum: number;
  hsSum: number;
  kills: number;
  deaths: number;
  assists: number;
  rounds: number;
  damage: number;
}

const zero = (): Totals => ({
  matches: 0,
  wins: 0,
  kdSum: 0,
  hsSum: 0,
  kills: 0,
  deaths: 0,
  assists: 0,
  rounds: 0,
  damage: 0,
});

interface Member {
  base: SimPlayer;
  skill: number;
  elo: number;
  form: number;
  mapOffset: number[];
  style: number;
  smurf: boolean;
  joinAt: number;
  group: number | null;
  recent: RecentMatchStats[];
  lifetime: Totals;
  maps: Totals[];
}

const K = Math.LN10 / 400;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const MATCH_GAP_MS = 45 * 60_000;
const MATCH_LENGTH_MS = 40 * 60_000;
const T0 = Date.UTC(2026, 8, 1);
const ROLE_KD = { rifler: 0, awper: 0.06, entry: -0.04, support: -0.08 } as const;

/** Generates the world and plays it; the recorded matches come with what generated them. */
export function generateSkillWorld(options: SkillWorldOptions): SkillWorld {
  const params: SkillWorldParams = {
    ...SKILL_WORLD_DEFAULTS,
    warmupMatches: 4 * (options.players ?? SKILL_WORLD_DEFAULTS.players),
    ...options,
  };
  const { seed } = params;
  const total = params.warmupMatches + params.matches;
  const members = makePlayers(params, total);
  const groups = makeGroups(params, members);
  const rng = Rng.of(seed, 'skill-world', 'play');
  const records: DatasetRecord[] = [];
  const truth: MatchTruth[] = [];
  let order: number[] = [];
  let rank = new Map<number, number>();

  for (let t = 0; t < total; t++) {
    if (t % 25 === 0) {
      order = members
        .map((_, i) => i)
        .filter((i) => members[i].joinAt <= t)
        .sort((a, b) => members[a].elo - members[b].elo);
      rank = new Map(order.map((i, r) => [i, r]));
    }
    const lobby = matchmake(rng, params, members, groups, order, rank, t);
    const map = rng.pick(MAP_POOL);
    const mapIndex = MAP_POOL.indexOf(map);
    const effective = (i: number) => members[i].skill + members[i].form + members[i].mapOffset[mapIndex];
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const side = (f: Faction) => lobby.teams[f];
    const shownElo = (i: number) =>
      params.eloIsSkill ? members[i].skill + members[i].form : Math.round(members[i].elo);
    const meanSkill = {
      faction1: mean(side('faction1').map(effective)),
      faction2: mean(side('faction2').map(effective)),
    };
    const partied = { faction1: lobby.partied.faction1.size, faction2: lobby.partied.faction2.size };
    const p = sigmoid(
      K * (meanSkill.faction1 - meanSkill.faction2) +
        params.partyBonus * (partied.faction1 - partied.faction2),
    );
    const winner: Faction = rng.chance(p) ? 'faction1' : 'faction2';
    const outcome = simulateOutcome(rng, map, winner);
    const startedAt = T0 + t * MATCH_GAP_MS;
    const finishedAt = startedAt + MATCH_LENGTH_MS;
    const matchId = `1-${Rng.of(seed, 'skill-world', 'match', t).uuid()}`;
    const names = {
      faction1: `team_${members[side('faction1')[0]].base.nickname}`,
      faction2: `team_${members[side('faction2')[0]].base.nickname}`,
    };
    const meanElo = {
      faction1: mean(side('faction1').map(shownElo)),
      faction2: mean(side('faction2').map(shownElo)),
    };

    if (t >= params.warmupMatches) {
      const player = (i: number): DatasetPlayer => {
        const m = members[i];
        const elo = shownElo(i);
        return {
          playerId: m.base.id,
          nickname: m.base.nickname,
          level: levelForElo(elo),
          elo,
          recent: m.recent.slice(-params.window).reverse(),
          lifetime: lifetimeOf(m),
        };
      };
      records.push({
        matchId,
        startedAt,
        finishedAt,
        map,
        winner,
        factions: {
          faction1: { name: names.faction1, players: side('faction1').map(player) },
          faction2: { name: names.faction2, players: side('faction2').map(player) },
        },
      });
      const smurfs = (f: Faction) => side(f).filter((i) => members[i].smurf).length;
      truth.push({
        matchId,
        p,
        partied,
        smurfs: { faction1: smurfs('faction1'), faction2: smurfs('faction2') },
        meanElo,
        meanSkill,
      });
    }

    // What the match leaves behind: stat lines, histories, ELO and form moves.
    const gain = clamp(
      Math.round(25 + ((winner === 'faction1' ? -1 : 1) * (meanElo.faction1 - meanElo.faction2)) / 40),
      5,
      45,
    );
    for (const f of ['faction1', 'faction2'] as const) {
      for (const i of side(f)) {
        const m = members[i];
        const line = simulateLine(
          Rng.of(seed, 'skill-world', 'line', t, i),
          playingAs(m, effective(i)),
          outcome,
          f,
        );
        const won = winner === f;
        m.recent.push(
          itemOf(matchId, finishedAt, map, names[f], won, line, outcome.score, f, outcome.rounds),
        );
        if (m.recent.length > params.window) m.recent.shift();
        add(m.lifetime, line, won, outcome.rounds);
        add(m.maps[mapIndex], line, won, outcome.rounds);
        m.elo = clamp(m.elo + (won ? gain : -gain), 100, 5000);
        const rho = params.formPersistence;
        m.form = rho * m.form + Math.sqrt(1 - rho * rho) * rng.normal(0, params.formSd);
      }
    }
  }
  return { params, records, truth };
}

function makePlayers(params: SkillWorldParams, total: number): Member[] {
  const out: Member[] = [];
  for (let i = 0; i < params.players; i++) {
    const rng = Rng.of(params.seed, 'skill-world', 'player', i);
    const base = generatePlayer(params.seed, i, T0);
    const kind = rng.next();
    const smurf = kind < params.smurfShare;
    const fresh = !smurf && kind < params.smurfShare + params.newShare;
    const skill = smurf
      ? clamp(Math.exp(rng.normal(Math.log(2100), 0.15)), 1500, 3500)
      : clamp(Math.exp(rng.normal(Math.log(fresh ? 1000 : 1100), fresh ? 0.3 : 0.42)), 250, 3800);
    const elo = smurf || fresh ? 1000 : clamp(Math.round(skill + rng.normal(0, params.eloNoise)), 100, 5000);
    out.push({
      base: { ...base, noCs2: false },
      skill,
      elo,
      form: rng.normal(0, params.formSd),
      mapOffset: MAP_POOL.map(() => rng.normal(0, params.mapSpread)),
      style: rng.normal(0, params.styleSd),
      smurf,
      // New accounts (smurfs too) open during the run, so when they are met they have few matches.
      joinAt: smurf || fresh ? rng.int(0, total - 1) : 0,
      group: null,
      recent: [],
      lifetime: zero(),
      maps: MAP_POOL.map(zero),
    });
  }
  return out;
}

function makeGroups(params: SkillWorldParams, members: Member[]): number[][] {
  const rng = Rng.of(params.seed, 'skill-world', 'groups');
  const established = rng.shuffleInPlace(members.map((_, i) => i).filter((i) => members[i].joinAt === 0));
  const want = Math.round(params.partyShare * established.length);
  const groups: number[][] = [];
  let at = 0;
  while (at + 2 <= want) {
    const size = Math.min(want - at, rng.weighted([2, 3, 4, 5], [50, 30, 12, 8]));
    if (size < 2) break;
    const group = established.slice(at, at + size);
    group.forEach((i) => (members[i].group = groups.length));
    groups.push(group);
    at += size;
  }
  return groups;
}

interface Lobby {
  teams: Record<Faction, number[]>;
  /** Players who queued in a party (a unit of two or more). */
  partied: Record<Faction, Set<number>>;
}

/** A lobby of ten around a random player: parties kept on one side, the rest near in ELO, the teams balanced. */
function matchmake(
  rng: Rng,
  params: SkillWorldParams,
  members: Member[],
  groups: number[][],
  order: number[],
  rank: Map<number, number>,
  t: number,
): Lobby {
  const taken = new Set<number>();
  const teams: Record<Faction, number[]> = { faction1: [], faction2: [] };
  const partied: Record<Faction, Set<number>> = { faction1: new Set(), faction2: new Set() };
  const solos: number[] = [];
  const free = () => 10 - taken.size;
  const unitOf = (i: number): number[] => {
    const g = members[i].group;
    if (g === null || !rng.chance(params.partyQueue)) return [i];
    const mates = groups[g].filter((j) => j !== i && !taken.has(j) && rng.chance(params.partyQueue));
    return [i, ...mates];
  };
  const place = (unit: number[]): boolean => {
    if (unit.length === 1) {
      if (free() < 1) return false;
      solos.push(unit[0]);
      taken.add(unit[0]);
      return true;
    }
    // A party goes whole to the side with more room; when neither has room for it, it is not placed.
    const room = (f: Faction) => 5 - teams[f].length;
    const f: Faction = room('faction1') >= room('faction2') ? 'faction1' : 'faction2';
    const other: Faction = f === 'faction1' ? 'faction2' : 'faction1';
    const target = room(f) >= unit.length ? f : room(other) >= unit.length ? other : null;
    // The solos already waiting (counted in `taken`) must still fit: free() counts them.
    if (!target || free() < unit.length) return false;
    for (const j of unit) {
      teams[target].push(j);
      partied[target].add(j);
      taken.add(j);
    }
    return true;
  };
  const anchor = order[rng.int(0, order.length - 1)];
  if (!place(unitOf(anchor))) place([anchor]);
  const centre = rank.get(anchor) ?? 0;
  for (let tries = 0; free() > 0 && tries < 4000; tries++) {
    const r = clamp(Math.round(centre + rng.normal(0, 60 + tries / 2)), 0, order.length - 1);
    const i = order[r];
    if (taken.has(i) || members[i].joinAt > t) continue;
    const unit = unitOf(i);
    if (!place(unit) && unit.length > 1) place([i]);
  }
  if (free() > 0) throw new Error(`skill world: could not fill a lobby at match ${t} (too few players)`);
  // Solos, strongest first, each to the side with room and the lower ELO total: FACEIT balances the teams.
  const sum = (f: Faction) => teams[f].reduce((s, i) => s + members[i].elo, 0);
  for (const i of solos.sort((a, b) => members[b].elo - members[a].elo)) {
    const open = (['faction1', 'faction2'] as const).filter((f) => teams[f].length < 5);
    const f = open.length === 1 ? open[0] : sum('faction1') <= sum('faction2') ? 'faction1' : 'faction2';
    teams[f].push(i);
  }
  return { teams, partied };
}

/** The player's profile for one match: his K/D and kills per round follow the skill he plays at, plus his style. */
function playingAs(m: Member, effective: number): SimPlayer {
  const z = Math.log(Math.max(200, effective) / 1100) / 0.42;
  const kd = clamp(0.92 + 0.14 * z + ROLE_KD[m.base.role] + m.style, 0.45, 2.4);
  const kpr = clamp(0.74 * Math.sqrt(kd) * (m.base.role === 'entry' ? 1.05 : 1), 0.35, 1.2);
  return { ...m.base, skill: { ...m.base.skill, kd, kpr }, mapSkill: MAP_POOL.map(() => 0) };
}

function itemOf(
  matchId: string,
  finishedAt: number,
  map: string,
  team: string,
  win: boolean,
  line: StatLine,
  score: Record<Faction, number>,
  side: Faction,
  rounds: number,
): RecentMatchStats {
  const other: Faction = side === 'faction1' ? 'faction2' : 'faction1';
  return {
    matchId,
    finishedAt,
    map,
    team,
    win,
    kills: line.kills,
    deaths: line.deaths,
    assists: line.assists,
    adr: Math.round((10 * line.damage) / rounds) / 10,
    hsPercent: line.kills > 0 ? Math.round((100 * line.headshots) / line.kills) : 0,
    kr: Math.round((100 * line.kills) / rounds) / 100,
    rounds,
    score: `${score[side]} / ${score[other]}`,
    mvps: line.mvps,
    entryCount: line.entryCount,
    entryWins: line.entryWins,
    sniperKills: line.sniperKills,
    utilityDamage: line.utilityDamage,
    utilityCount: line.utilityCount,
    flashCount: line.flashCount,
    flashSuccesses: line.flashSuccesses,
    enemiesFlashed: line.enemiesFlashed,
  };
}

function add(t: Totals, line: StatLine, won: boolean, rounds: number): void {
  t.matches += 1;
  t.wins += won ? 1 : 0;
  t.kdSum += line.kills / Math.max(1, line.deaths);
  t.hsSum += line.kills > 0 ? (100 * line.headshots) / line.kills : 0;
  t.kills += line.kills;
  t.deaths += line.deaths;
  t.assists += line.assists;
  t.rounds += rounds;
  t.damage += line.damage;
}

/** `/players/{id}/stats/cs2` as of the match: every earlier match of the player, and its map segments. */
function lifetimeOf(m: Member): LifetimeStats | null {
  const l = m.lifetime;
  if (l.matches === 0) return null;
  const maps: LifetimeMapSegment[] = [];
  MAP_POOL.forEach((map, i) => {
    const s = m.maps[i];
    if (s.matches === 0) return;
    maps.push({
      label: MAP_LABELS[map],
      matches: s.matches,
      wins: s.wins,
      winRate: Math.round((100 * s.wins) / s.matches),
      kd: Math.round((100 * s.kdSum) / s.matches) / 100,
      adr: Math.round((10 * s.damage) / s.rounds) / 10,
      hsPercent: Math.round(s.hsSum / s.matches),
      kills: s.kills,
      deaths: s.deaths,
      assists: s.assists,
      rounds: s.rounds,
    });
  });
  return {
    matches: l.matches,
    wins: l.wins,
    winRate: Math.round((100 * l.wins) / l.matches),
    kd: Math.round((100 * l.kdSum) / l.matches) / 100,
    hsPercent: Math.round(l.hsSum / l.matches),
    adr: Math.round((10 * l.damage) / l.rounds) / 10,
    maps,
  };
}
