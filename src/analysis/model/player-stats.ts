/**
 * Per-player aggregates from the recent-matches window (`/games/cs2/stats`), with lifetime stats as a fallback.
 *
 * Aggregation is over totals, not an average of per-match ratios: K/D = ΣK / ΣD, KPR = ΣK / Σrounds,
 * ADR is round-weighted, HS% is kill-weighted. Rounds come from `Rounds`, else the `Score` ("13 / 11" → 24),
 * else Kills / `K/R Ratio`; matches without any round count are left out of the per-round figures only.
 */
import { ADR_PER_KPR, DEFAULT_APR, hltvRating } from './rating';
import { normaliseMap } from '../../faceit/maps';
import type { LifetimeStats, PlayerInput, PlayerMapRecord, RecentMatchStats, StatsSource } from './types';

export const FORM_LENGTH = 10;

/** Extended figures used for the role (see role.ts). All per round except the rates, which are 0–1. */
export interface ExtendedFigures {
  /** Opening duels taken per round. */
  entryRate: number | null;
  /** Share of kills made with a sniper rifle (0–1). */
  sniperKillRate: number | null;
  utilityDamagePerRound: number | null;
  enemiesFlashedPerRound: number | null;
  flashSuccessRate: number | null;
}

/** The player's own long-run figures (lifetime endpoint), used as the prior of the recent window. */
export interface LifetimeSummary {
  matches: number;
  /** 0–1 */
  winRate: number | null;
  kd: number | null;
  rating: number | null;
}

/** The previous FORM_LENGTH matches' own figures (the model's "recent" terms, weights.ts); null where unknown. */
export interface WindowFigures {
  /** Matches in the window (at most FORM_LENGTH). */
  matches: number;
  rating: number | null;
  /** 0–1, over the matches with a known result. */
  winRate: number | null;
  kd: number | null;
}

export interface PlayerStatsSummary {
  source: StatsSource;
  /** Matches behind kd / adr / hs / winRate / rating. */
  matches: number;
  /** Kills and deaths behind `kd` (recent window), so K/D can be shrunk with pseudo-counts; null when unknown. */
  kills: number | null;
  deaths: number | null;
  /** Kills / deaths, a death-less window counting as one death (a 25–0 match shows 25, never infinity). */
  kd: number | null;
  adr: number | null;
  hsPercent: number | null;
  /** 0–1 */
  winRate: number | null;
  kpr: number | null;
  dpr: number | null;
  apr: number | null;
  rating: number | null;
  /** Newest first, at most FORM_LENGTH. */
  form: ('W' | 'L')[];
  extended: ExtendedFigures;
  lifetime: LifetimeSummary | null;
  maps: PlayerMapRecord[];
  /** The newest FORM_LENGTH matches of the recent window; null without recent matches. */
  recent10: WindowFigures | null;
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Weighted mean of `pick(m)` over the matches where both it and `weight(m)` are known (weight defaults to 1). */
function weightedMean<T>(
  items: readonly T[],
  pick: (m: T) => number | null | undefined,
  weight: (m: T) => number | null | undefined = () => 1,
): number | null {
  let num = 0;
  let den = 0;
  for (const m of items) {
    const v = pick(m);
    const w = weight(m);
    if (finite(v) && finite(w) && w > 0) {
      num += v * w;
      den += w;
    }
  }
  return den > 0 ? num / den : null;
}

/** "13 / 11" → 24; anything unparsable → null. */
export function roundsFromScore(score: string | null | undefined): number | null {
  if (!score) return null;
  const m = /^\s*(\d+)\s*[/:-]\s*(\d+)\s*$/.exec(score);
  if (!m) return null;
  const total = Number(m[1]) + Number(m[2]);
  return total > 0 ? total : null;
}

/** Rounds of one match: `Rounds`, else the score, else Kills / K/R. */
export function matchRounds(m: RecentMatchStats): number | null {
  if (finite(m.rounds) && m.rounds > 0) return m.rounds;
  const fromScore = roundsFromScore(m.score);
  if (fromScore !== null) return fromScore;
  if (finite(m.kr) && m.kr > 0 && m.kills > 0) return Math.round(m.kills / m.kr);
  return null;
}

/** Newest first by `finishedAt`; matches without a time keep their relative (input) order after the dated ones. */
export function sortNewestFirst(matches: readonly RecentMatchStats[]): RecentMatchStats[] {
  return matches
    .map((m, i) => ({ m, i }))
    .sort((a, b) => {
      const ta = a.m.finishedAt;
      const tb = b.m.finishedAt;
      if (finite(ta) && finite(tb) && ta !== tb) return tb - ta;
      if (finite(ta) !== finite(tb)) return finite(ta) ? -1 : 1;
      return a.i - b.i;
    })
    .map(({ m }) => m);
}

/** Displayed K/D: kills per death, zero deaths counted as one (K/D is shrunk with pseudo-counts in threat.ts). */
function ratio(num: number, den: number): number | null {
  if (den > 0) return num / den;
  return num > 0 ? num : null;
}

function extendedFromRecent(matches: readonly RecentMatchStats[]): ExtendedFigures {
  const perRound = (pick: (m: RecentMatchStats) => number | undefined): number | null => {
    let num = 0;
    let rounds = 0;
    for (const m of matches) {
      const v = pick(m);
      const r = matchRounds(m);
      if (finite(v) && r !== null) {
        num += v;
        rounds += r;
      }
    }
    return rounds > 0 ? num / rounds : null;
  };
  let sniper = 0;
  let sniperBase = 0;
  let flashOk = 0;
  let flashes = 0;
  for (const m of matches) {
    if (finite(m.sniperKills)) {
      sniper += m.sniperKills;
      sniperBase += m.kills;
    }
    if (finite(m.flashSuccesses) && finite(m.flashCount)) {
      flashOk += m.flashSuccesses;
      flashes += m.flashCount;
    }
  }
  return {
    entryRate: perRound((m) => m.entryCount),
    sniperKillRate: sniperBase > 0 ? sniper / sniperBase : null,
    utilityDamagePerRound: perRound((m) => m.utilityDamage),
    enemiesFlashedPerRound: perRound((m) => m.enemiesFlashed),
    flashSuccessRate: flashes > 0 ? flashOk / flashes : null,
  };
}

function extendedFromLifetime(l: LifetimeStats | null | undefined): ExtendedFigures {
  const v = (x: number | null | undefined): number | null => (finite(x) ? x : null);
  return {
    entryRate: v(l?.entryRate),
    sniperKillRate: v(l?.sniperKillRate),
    utilityDamagePerRound: v(l?.utilityDamagePerRound),
    enemiesFlashedPerRound: v(l?.enemiesFlashedPerRound),
    flashSuccessRate: v(l?.flashSuccessRate),
  };
}

/** Matches with extended keys needed before the recent window is trusted over lifetime for the role. */
const MIN_EXTENDED_MATCHES = 5;

function pickExtended(recent: readonly RecentMatchStats[], lifetime: LifetimeStats | null | undefined) {
  const withExtended = recent.filter(
    (m) => finite(m.entryCount) || finite(m.sniperKills) || finite(m.utilityDamage),
  );
  const fromRecent = extendedFromRecent(withExtended);
  const fromLifetime = extendedFromLifetime(lifetime);
  if (withExtended.length >= MIN_EXTENDED_MATCHES) {
    // Recent first, lifetime fills what recent does not have.
    const out = { ...fromRecent };
    for (const k of Object.keys(out) as (keyof ExtendedFigures)[]) out[k] ??= fromLifetime[k];
    return out;
  }
  const out = { ...fromLifetime };
  for (const k of Object.keys(out) as (keyof ExtendedFigures)[]) out[k] ??= fromRecent[k];
  return out;
}

function winRateOf(wins: number | null | undefined, winRatePct: number | null | undefined, matches: number) {
  if (finite(wins) && matches > 0) return Math.min(1, Math.max(0, wins / matches));
  if (finite(winRatePct)) return Math.min(1, Math.max(0, winRatePct / 100));
  return null;
}

/** Lifetime rating: exact per-round totals from the map segments when they carry them, else estimated from K/D+ADR. */
function lifetimeRating(l: LifetimeStats): number | null {
  const segs = l.maps ?? [];
  let kills = 0;
  let deaths = 0;
  let assists = 0;
  let rounds = 0;
  let damage = 0;
  let damageRounds = 0;
  for (const s of segs) {
    if (finite(s.kills) && finite(s.deaths) && finite(s.rounds) && s.rounds > 0) {
      kills += s.kills;
      deaths += s.deaths;
      assists += finite(s.assists) ? s.assists : DEFAULT_APR * s.rounds;
      rounds += s.rounds;
      if (finite(s.adr)) {
        damage += s.adr * s.rounds;
        damageRounds += s.rounds;
      }
    }
  }
  if (rounds >= 50) {
    return hltvRating({
      kpr: kills / rounds,
      dpr: deaths / rounds,
      apr: assists / rounds,
      adr: damageRounds > 0 ? damage / damageRounds : finite(l.adr) ? l.adr : null,
    });
  }
  if (finite(l.kd) && l.kd > 0 && finite(l.adr) && l.adr > 0) {
    const kpr = l.adr / ADR_PER_KPR;
    return hltvRating({ kpr, dpr: kpr / l.kd, apr: DEFAULT_APR, adr: l.adr });
  }
  return null;
}

export function summariseLifetime(l: LifetimeStats | null | undefined): LifetimeSummary | null {
  if (!l || !finite(l.matches) || l.matches <= 0) return null;
  return {
    matches: l.matches,
    winRate: winRateOf(l.wins, l.winRate, l.matches),
    kd: finite(l.kd) ? l.kd : null,
    rating: lifetimeRating(l),
  };
}

interface MapAcc {
  matches: number;
  wins: number;
  kills: number;
  deaths: number;
  /** Per-round totals over the matches whose rounds are known. */
  rKills: number;
  rDeaths: number;
  rAssists: number;
  rounds: number;
  damage: number;
  damageRounds: number;
}

/** Rating from per-round totals; null under MIN_MAP_RATING_ROUNDS rounds. */
function ratingOfTotals(t: {
  kills: number;
  deaths: number;
  assists: number;
  rounds: number;
  adr: number | null;
}): number | null {
  if (t.rounds < MIN_MAP_RATING_ROUNDS) return null;
  return hltvRating({
    kpr: t.kills / t.rounds,
    dpr: t.deaths / t.rounds,
    apr: t.assists / t.rounds,
    adr: t.adr,
  });
}
/** One match's worth of rounds: a per-map rating needs at least this many. */
const MIN_MAP_RATING_ROUNDS = 16;

function mapsFromRecent(matches: readonly RecentMatchStats[]): PlayerMapRecord[] {
  const acc = new Map<string, MapAcc>();
  for (const m of matches) {
    if (!m.map) continue;
    const id = normaliseMap(m.map);
    if (!id) continue;
    const a = acc.get(id) ?? {
      matches: 0,
      wins: 0,
      kills: 0,
      deaths: 0,
      rKills: 0,
      rDeaths: 0,
      rAssists: 0,
      rounds: 0,
      damage: 0,
      damageRounds: 0,
    };
    a.kills += m.kills;
    a.deaths += m.deaths;
    const r = matchRounds(m);
    if (r !== null) {
      a.rKills += m.kills;
      a.rDeaths += m.deaths;
      a.rAssists += m.assists;
      a.rounds += r;
      if (finite(m.adr)) {
        a.damage += m.adr * r;
        a.damageRounds += r;
      }
    }
    // A match without a result tells nothing about winning the map.
    if (m.win !== null) {
      a.matches += 1;
      a.wins += m.win ? 1 : 0;
    }
    acc.set(id, a);
  }
  return [...acc.entries()]
    .filter(([, a]) => a.matches > 0)
    .map(([map, a]) => ({
      map,
      matches: a.matches,
      wins: a.wins,
      winRate: a.wins / a.matches,
      kd: ratio(a.kills, a.deaths),
      rating: ratingOfTotals({
        kills: a.rKills,
        deaths: a.rDeaths,
        assists: a.rAssists,
        rounds: a.rounds,
        adr: a.damageRounds > 0 ? a.damage / a.damageRounds : null,
      }),
      source: 'recent' as const,
    }));
}

function mapsFromLifetime(l: LifetimeStats | null | undefined): PlayerMapRecord[] {
  const out = new Map<string, PlayerMapRecord>();
  for (const s of l?.maps ?? []) {
    const map = normaliseMap(s.label);
    if (!map || !finite(s.matches) || s.matches <= 0) continue;
    const winRate = winRateOf(s.wins, s.winRate, s.matches);
    if (winRate === null) continue;
    const prev = out.get(map);
    if (prev && prev.matches >= s.matches) continue;
    out.set(map, {
      map,
      matches: s.matches,
      wins: finite(s.wins) ? s.wins : Math.round(winRate * s.matches),
      winRate,
      kd: finite(s.kd) ? s.kd : null,
      rating:
        finite(s.kills) && finite(s.deaths) && finite(s.rounds)
          ? ratingOfTotals({
              kills: s.kills,
              deaths: s.deaths,
              assists: finite(s.assists) ? s.assists : DEFAULT_APR * s.rounds,
              rounds: s.rounds,
              adr: finite(s.adr) ? s.adr : null,
            })
          : null,
      source: 'lifetime',
    });
  }
  return [...out.values()];
}

/**
 * Per-map records: the lifetime segment when it has at least as many matches as the recent window on that map
 * (it is the larger, more stable sample), else the recent window. Sorted by matches, descending.
 */
export function mergeMapRecords(recent: PlayerMapRecord[], lifetime: PlayerMapRecord[]): PlayerMapRecord[] {
  const out = new Map<string, PlayerMapRecord>();
  for (const r of recent) out.set(r.map, r);
  for (const l of lifetime) {
    const r = out.get(l.map);
    if (!r || l.matches >= r.matches) out.set(l.map, l);
  }
  return [...out.values()].sort((a, b) => b.matches - a.matches || a.map.localeCompare(b.map));
}

const EMPTY_EXTENDED: ExtendedFigures = {
  entryRate: null,
  sniperKillRate: null,
  utilityDamagePerRound: null,
  enemiesFlashedPerRound: null,
  flashSuccessRate: null,
};

/** Rating, win rate and K/D of a window of matches (totals, as for the whole window). */
export function windowFigures(matches: readonly RecentMatchStats[]): WindowFigures | null {
  if (matches.length === 0) return null;
  let kills = 0;
  let deaths = 0;
  let assists = 0;
  let rounds = 0;
  let rKills = 0;
  let rDeaths = 0;
  let wins = 0;
  let decided = 0;
  for (const m of matches) {
    kills += m.kills;
    deaths += m.deaths;
    if (m.win !== null) {
      decided += 1;
      wins += m.win ? 1 : 0;
    }
    const r = matchRounds(m);
    if (r !== null) {
      rKills += m.kills;
      rDeaths += m.deaths;
      assists += m.assists;
      rounds += r;
    }
  }
  const adr = weightedMean(matches, (m) => m.adr, matchRounds) ?? weightedMean(matches, (m) => m.adr);
  return {
    matches: matches.length,
    rating:
      rounds > 0
        ? hltvRating({ kpr: rKills / rounds, dpr: rDeaths / rounds, apr: assists / rounds, adr })
        : null,
    winRate: decided > 0 ? wins / decided : null,
    kd: ratio(kills, deaths),
  };
}

/** Aggregates one player's fetched data. `undefined`/all-null input → source 'none'. */
export function summarisePlayer(input: PlayerInput | undefined): PlayerStatsSummary {
  const recent = sortNewestFirst(input?.recent ?? []);
  const lifetimeRaw = input?.lifetime ?? null;
  const lifetime = summariseLifetime(lifetimeRaw);
  const maps = mergeMapRecords(mapsFromRecent(recent), mapsFromLifetime(lifetimeRaw));
  const extended =
    recent.length > 0 || lifetimeRaw ? pickExtended(recent, lifetimeRaw) : { ...EMPTY_EXTENDED };

  if (recent.length > 0) {
    let kills = 0;
    let deaths = 0;
    let wins = 0;
    let decided = 0;
    let rKills = 0;
    let rDeaths = 0;
    let rAssists = 0;
    let rounds = 0;
    for (const m of recent) {
      kills += m.kills;
      deaths += m.deaths;
      if (m.win !== null) {
        decided += 1;
        wins += m.win ? 1 : 0;
      }
      const r = matchRounds(m);
      if (r !== null) {
        rKills += m.kills;
        rDeaths += m.deaths;
        rAssists += m.assists;
        rounds += r;
      }
    }
    const kpr = rounds > 0 ? rKills / rounds : null;
    const dpr = rounds > 0 ? rDeaths / rounds : null;
    const apr = rounds > 0 ? rAssists / rounds : null;
    const adr = weightedMean(recent, (m) => m.adr, matchRounds) ?? weightedMean(recent, (m) => m.adr);
    const rating = kpr !== null && dpr !== null && apr !== null ? hltvRating({ kpr, dpr, apr, adr }) : null;
    return {
      source: 'recent',
      matches: recent.length,
      kills,
      deaths,
      kd: ratio(kills, deaths),
      adr,
      hsPercent: weightedMean(
        recent,
        (m) => m.hsPercent,
        (m) => m.kills,
      ),
      winRate: decided > 0 ? wins / decided : null,
      kpr,
      dpr,
      apr,
      rating,
      // Only known results: an unknown one is neither a W nor an L.
      form: recent
        .filter((m) => m.win !== null)
        .slice(0, FORM_LENGTH)
        .map((m) => (m.win ? 'W' : 'L')),
      extended,
      lifetime,
      maps,
      recent10: windowFigures(recent.slice(0, FORM_LENGTH)),
    };
  }

  if (lifetimeRaw && lifetime) {
    const kd = finite(lifetimeRaw.kd) ? lifetimeRaw.kd : null;
    const adr = finite(lifetimeRaw.adr) ? lifetimeRaw.adr : null;
    const kpr = adr !== null ? adr / ADR_PER_KPR : null;
    return {
      source: 'lifetime',
      matches: lifetime.matches,
      kills: null,
      deaths: null,
      kd,
      adr,
      hsPercent: finite(lifetimeRaw.hsPercent) ? lifetimeRaw.hsPercent : null,
      winRate: lifetime.winRate,
      kpr,
      dpr: kpr !== null && kd !== null && kd > 0 ? kpr / kd : null,
      apr: null,
      rating: lifetime.rating,
      // FACEIT lists `Recent Results` oldest first (the last entry agrees with `Current Win Streak`).
      form: [...(lifetimeRaw.recentResults ?? [])]
        .reverse()
        .slice(0, FORM_LENGTH)
        .map((w) => (w ? 'W' : 'L')),
      extended,
      lifetime,
      maps,
      recent10: null,
    };
  }

  return {
    source: 'none',
    matches: 0,
    kills: null,
    deaths: null,
    kd: null,
    adr: null,
    hsPercent: null,
    winRate: null,
    kpr: null,
    dpr: null,
    apr: null,
    rating: null,
    form: [],
    extended,
    lifetime,
    maps,
    recent10: null,
  };
}
