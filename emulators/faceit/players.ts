import { Rng, clamp } from './prng';

/**
 * Synthetic FACEIT players. Each player is a pure function of (seed, index): identity (id, nickname, Steam id),
 * ELO and a skill profile that drives every stat the emulator serves, so the same seed always yields the same world.
 * Distributions aim for realism: log-normal ELO (median ~1100, ~8% level 10), roles (AWPers with high sniper-kill
 * share, entry fraggers, support players), new accounts with few matches, a few smurfs, a few players without CS2.
 */

export type Role = 'rifler' | 'awper' | 'entry' | 'support';

/** CS2 map pool of matchmaking (as in the recorded match's voting entities). */
export const MAP_POOL = [
  'de_dust2',
  'de_mirage',
  'de_nuke',
  'de_overpass',
  'de_ancient',
  'de_inferno',
  'de_anubis',
] as const;

export interface Skill {
  kd: number;
  /** Kills per round. */
  kpr: number;
  /** Damage per kill, drives ADR together with kpr. */
  damagePerKill: number;
  hsPercent: number;
  winRate: number;
  sniperShare: number;
  entryRate: number;
  entrySuccess: number;
  flashesPerRound: number;
  flashSuccess: number;
  utilityPerRound: number;
  utilityDamagePerRound: number;
  clutch1v1: number;
  clutch1v2: number;
}

export interface SimPlayer {
  index: number;
  id: string;
  nickname: string;
  steamId64: string;
  steamAccountId: number;
  steamNickname: string;
  country: string;
  region: string;
  language: string;
  avatar: string;
  coverImage: string;
  membership: 'free' | 'premium';
  verified: boolean;
  activatedAt: string;
  baseElo: number;
  role: Role;
  smurf: boolean;
  newAccount: boolean;
  /** Has a FACEIT account but never played CS2: no `games.cs2`, stats 404, empty history. */
  noCs2: boolean;
  matchCount: number;
  /** Newest matches carrying extended stats (older ones predate them). */
  extendedCount: number;
  /** How long before the world's anchor time the player's last synthetic match finished. */
  lastPlayedAgoMs: number;
  skill: Skill;
  /** Map preference weights and per-map strength, aligned with MAP_POOL. */
  mapWeights: number[];
  mapSkill: number[];
}

/** FACEIT CS2 level bands. */
const LEVEL_FLOORS = [0, 501, 751, 901, 1051, 1201, 1351, 1531, 1751, 2001];

export function levelForElo(elo: number): number {
  let level = 1;
  for (let i = 0; i < LEVEL_FLOORS.length; i++) if (elo >= LEVEL_FLOORS[i]) level = i + 1;
  return level;
}

const COUNTRIES = [
  'ru',
  'ua',
  'kz',
  'by',
  'pl',
  'de',
  'fi',
  'se',
  'dk',
  'fr',
  'gb',
  'es',
  'pt',
  'tr',
  'cz',
  'ro',
];
const COUNTRY_WEIGHTS = [28, 8, 4, 3, 7, 7, 3, 3, 3, 5, 5, 4, 3, 4, 3, 3];
const LANGUAGE: Record<string, string> = {
  ru: 'ru',
  ua: 'uk',
  kz: 'ru',
  by: 'ru',
  de: 'de',
  fr: 'fr',
  es: 'es',
};

const STEMS = [
  'snow',
  'dark',
  'kill',
  'frag',
  'shadow',
  'wolf',
  'ghost',
  'sniper',
  'toxic',
  'lucky',
  'crazy',
  'ice',
  'fire',
  'storm',
  'night',
  'silent',
  'rage',
  'cyber',
  'neo',
  'zeus',
  'boom',
  'flash',
  'smoke',
  'clutch',
  'ace',
  'pro',
  'kirill',
  'dimon',
  'sanya',
  'vanya',
  'lexa',
  'maks',
  'tema',
  'pasha',
  'zhenya',
  'kolya',
  'mike',
  'alex',
  'tom',
  'jan',
  'lukas',
  'mateo',
  'hugo',
  'nico',
  'oskar',
  'emil',
  'viktor',
  'bober',
  'kotik',
  'medved',
  'volk',
  'tigr',
];
const TAILS = ['', '', '', 'x', 'ik', 'er', 'oo', 'z', 'ka', 'chik', 'ov', 'sky', 'man', 'boy', 'god', 'tv'];

function nicknameFor(rng: Rng): string {
  const style = rng.int(0, 5);
  const stem = rng.pick(STEMS) + rng.pick(TAILS);
  const cased = rng.chance(0.4) ? stem[0].toUpperCase() + stem.slice(1) : stem;
  const digits = rng.chance(0.55) ? String(rng.int(1, 2009)) : '';
  if (style === 0) return `${cased}${digits}`;
  if (style === 1) return `-${cased}${digits}`;
  if (style === 2) return `${cased}_${rng.pick(STEMS)}`;
  if (style === 3) return `${rng.pick(STEMS).toUpperCase()}${digits}`;
  if (style === 4) return `${cased}-`;
  return `x${cased}${digits}x`;
}

function roleFor(rng: Rng): Role {
  return rng.weighted<Role>(['rifler', 'awper', 'entry', 'support'], [48, 12, 20, 20]);
}

function skillFor(rng: Rng, elo: number, role: Role, smurf: boolean): Skill {
  // z ~ standard normal position in the (log-normal) ELO distribution.
  const z = smurf ? rng.range(2, 3.2) : Math.log(elo / 1100) / 0.42;
  const roleKd = { rifler: 0, awper: 0.06, entry: -0.04, support: -0.08 }[role];
  const kd = clamp(0.92 + 0.14 * z + roleKd + rng.normal(0, 0.06), 0.45, 2.4);
  const kpr = clamp(0.74 * Math.pow(kd, 0.5) * (role === 'entry' ? 1.05 : 1), 0.35, 1.2);
  const hsMean = { rifler: 48, awper: 30, entry: 50, support: 45 }[role];
  return {
    kd,
    kpr,
    damagePerKill: rng.range(86, 98) + (role === 'awper' ? 8 : 0),
    hsPercent: clamp(rng.normal(hsMean + 2 * z, 6), 15, 75),
    winRate: smurf ? rng.range(0.72, 0.86) : clamp(0.5 + 0.012 * z + rng.normal(0, 0.025), 0.38, 0.62),
    sniperShare: role === 'awper' ? rng.range(0.3, 0.55) : rng.range(0, 0.04),
    entryRate:
      role === 'entry'
        ? rng.range(0.22, 0.32)
        : role === 'support'
          ? rng.range(0.07, 0.12)
          : rng.range(0.12, 0.2),
    entrySuccess: clamp(rng.normal(0.45 + 0.03 * z, 0.04), 0.2, 0.75),
    flashesPerRound: role === 'support' ? rng.range(0.45, 0.7) : rng.range(0.15, 0.35),
    flashSuccess: clamp(rng.normal(0.45, 0.07), 0.15, 0.8),
    utilityPerRound: role === 'support' ? rng.range(0.45, 0.65) : rng.range(0.2, 0.38),
    utilityDamagePerRound: role === 'support' ? rng.range(4, 7) : rng.range(1.5, 4),
    clutch1v1: clamp(rng.normal(0.4 + 0.04 * z, 0.06), 0.1, 0.8),
    clutch1v2: clamp(rng.normal(0.15 + 0.03 * z, 0.05), 0.02, 0.5),
  };
}

/** Steam64 ids are 76561197960265728 + account id; STEAM_0:Y:Z and [U:1:N] are derived from the account id. */
export const STEAM64_BASE = 76561197960265728n;

export function generatePlayer(seed: string | number, index: number, anchorTime: number): SimPlayer {
  const rng = Rng.of(seed, 'player', index);
  const id = rng.uuid();
  const nickname = nicknameFor(rng);
  const steamAccountId = 40_000_000 + ((index * 7_919 + rng.int(0, 7_000)) % 1_200_000_000);
  const country = rng.weighted(COUNTRIES, COUNTRY_WEIGHTS);
  const kind = rng.next();
  const noCs2 = kind < 0.01;
  const smurf = !noCs2 && kind < 0.03;
  const newAccount = !noCs2 && !smurf && kind < 0.11;
  const baseElo = smurf
    ? rng.int(800, 1600)
    : newAccount
      ? rng.int(700, 1250)
      : clamp(Math.round(Math.exp(rng.normal(Math.log(1100), 0.42))), 100, 4000);
  const role = roleFor(rng);
  const matchCount = noCs2
    ? 0
    : smurf
      ? rng.int(8, 40)
      : newAccount
        ? rng.int(0, 25)
        : Math.floor(Math.exp(rng.range(Math.log(30), Math.log(3000))));
  const years = Math.max(0.05, matchCount / 600 + rng.range(0, 2));
  const favourite = rng.int(0, MAP_POOL.length - 1);
  const hated = (favourite + rng.int(1, MAP_POOL.length - 1)) % MAP_POOL.length;
  return {
    index,
    id,
    nickname,
    steamId64: String(STEAM64_BASE + BigInt(steamAccountId)),
    steamAccountId,
    steamNickname: rng.chance(0.6) ? nickname : nicknameFor(rng),
    country,
    region: 'EU',
    language: LANGUAGE[country] ?? 'en',
    avatar: rng.chance(0.85) ? `https://distribution.faceit-cdn.net/images/${rng.uuid()}.jpeg` : '',
    coverImage: rng.chance(0.4) ? `https://distribution.faceit-cdn.net/images/${rng.uuid()}.jpeg` : '',
    membership: rng.chance(0.25) ? 'premium' : 'free',
    verified: rng.chance(0.05),
    activatedAt: new Date(anchorTime - years * 365 * 86_400_000).toISOString(),
    baseElo,
    role,
    smurf,
    newAccount,
    noCs2,
    matchCount,
    extendedCount: matchCount < 300 ? matchCount : Math.round(matchCount * rng.range(0.3, 1)),
    lastPlayedAgoMs: Math.round(rng.range(0.2, newAccount || smurf ? 24 : 96) * 3_600_000),
    skill: skillFor(rng, baseElo, role, smurf),
    mapWeights: MAP_POOL.map((_, i) => (i === favourite ? 4 : i === hated ? 0.25 : rng.range(0.6, 1.8))),
    mapSkill: MAP_POOL.map((_, i) => (i === favourite ? 0.06 : i === hated ? -0.06 : rng.normal(0, 0.03))),
  };
}
