import {
  type Faction,
  type Outcome,
  ghostSkillLine,
  mapStrength,
  simulateLine,
  simulateOutcome,
} from './match-sim';
import { MAP_POOL, STEAM64_BASE, type SimPlayer } from './players';
import { Rng, clamp } from './prng';
import { rosterView } from './render-matches';
import { LOCATIONS, type MatchStatus, type RosterEntry, type SimMatch, type World } from './world';

/** Matches created through the control API: a lobby in any status, finished on demand. */

export interface CreateLobbyOptions {
  status?: MatchStatus;
  /** Player ids or nicknames, placed first: the first five in faction1, the rest in faction2. */
  players?: string[];
  /** Build the lobby around this ELO (otherwise around the first chosen player, or a random one). */
  elo?: number;
  map?: string;
  /** Put a player who has a FACEIT account but no CS2 data in faction2. */
  withNoCs2Player?: boolean;
  /** Put a roster entry whose /players/{id} answers 404 in faction2. */
  withMissingPlayer?: boolean;
  /** The rosters stay empty (room and webhooks) for this long after creation, as FACEIT may send them. */
  rostersAfterMs?: number;
}

export interface FinishOptions {
  winner?: Faction;
  /** Final score as [faction1, faction2]; must have a winner with 13 (or more in overtime). */
  score?: [number, number];
}

export interface LobbyPlayerInfo {
  playerId: string;
  nickname: string;
  level: number;
  elo?: number;
  exists: boolean;
  hasCs2: boolean;
}

export interface LobbyInfo {
  matchId: string;
  status: MatchStatus;
  map: string;
  roomUrl: string;
  teams: Record<Faction, { factionId: string; name: string; players: LobbyPlayerInfo[] }>;
  winner?: Faction;
  score?: Record<Faction, number>;
}

export class LobbyError extends Error {}

export class Lobbies {
  private created = 0;

  constructor(private readonly world: World) {}

  private resolve(ref: string): SimPlayer {
    const player = this.world.byId(ref) ?? this.world.byNickname(ref);
    if (!player) throw new LobbyError(`unknown player "${ref}"`);
    return player;
  }

  create(options: CreateLobbyOptions = {}): SimMatch {
    const world = this.world;
    const rng = Rng.of(world.seed, 'lobby', this.created++);
    const chosen = (options.players ?? []).map((ref) => this.resolve(ref));
    if (chosen.length > 10) throw new LobbyError('at most 10 players');
    const anchor =
      chosen[0] ?? world.nearestByElo(options.elo ?? Math.round(Math.exp(rng.normal(Math.log(1100), 0.35))));
    const taken = new Set(chosen.map((p) => p.index));
    const fill = world.similarPlayers(rng, anchor, 10 - chosen.length, taken);
    const indices = [...chosen.map((p) => p.index), ...fill];
    if (!chosen.length) indices[0] = anchor.index;
    const slots: RosterEntry[] = indices.map((playerIndex) => ({ playerIndex }));
    if (options.withNoCs2Player) {
      const noCs2 = world.players.filter((p) => p.noCs2 && !indices.includes(p.index));
      slots[9] = { playerIndex: rng.pick(noCs2).index };
    }
    if (options.withMissingPlayer) {
      const accountId = rng.int(1_300_000_000, 1_400_000_000);
      slots[8] = {
        ghost: {
          id: rng.uuid(),
          nickname: `ghost_${rng.hex(6)}`,
          steamId64: String(STEAM64_BASE + BigInt(accountId)),
          level: 5,
        },
      };
    }
    const map = options.map ?? rng.pick(MAP_POOL);
    if (!MAP_POOL.includes(map as (typeof MAP_POOL)[number])) throw new LobbyError(`unknown map "${map}"`);
    const now = Date.now();
    const teams = {
      faction1: this.team(rng, slots.slice(0, 5)),
      faction2: this.team(rng, slots.slice(5, 10)),
    };
    const match: SimMatch = {
      matchId: `1-${rng.uuid()}`,
      origin: 'lobby',
      status: 'READY',
      region: 'EU',
      map,
      location: rng.pick(LOCATIONS),
      teams,
      createdAt: now - 120_000,
      configuredAt: now - 30_000,
    };
    if (options.rostersAfterMs) match.rostersAt = now + options.rostersAfterMs;
    // A match in the map vote was created just now.
    if ((options.status ?? 'READY') === 'VOTING') match.createdAt = now;
    const meanElo = (roster: RosterEntry[]) =>
      roster.reduce(
        (sum, slot) =>
          sum + (slot.playerIndex === undefined ? 1000 : world.elo(world.players[slot.playerIndex])),
        0,
      ) / roster.length;
    match.faceitWinProbability =
      1 / (1 + 10 ** ((meanElo(teams.faction2.roster) - meanElo(teams.faction1.roster)) / 400));
    world.lobbies.set(match.matchId, match);
    const status = options.status ?? 'READY';
    if (status === 'FINISHED') this.finish(match.matchId);
    else this.setStatus(match.matchId, status);
    return match;
  }

  private team(rng: Rng, roster: RosterEntry[]) {
    const leader = rosterView(this.world, roster[0]);
    return { factionId: rng.uuid(), name: `team_${leader.nickname}`, roster };
  }

  get(matchId: string): SimMatch {
    const match = this.world.lobbies.get(matchId);
    if (!match) throw new LobbyError(`no lobby "${matchId}" (only control-created matches can change)`);
    return match;
  }

  setStatus(matchId: string, status: MatchStatus): SimMatch {
    const match = this.get(matchId);
    if (status === 'FINISHED') return this.finish(matchId);
    match.status = status;
    if (status === 'ONGOING' && match.startedAt === undefined) match.startedAt = Date.now();
    return match;
  }

  /** Finishes the match: result, stat lines, history entries and ELO changes for every real player. */
  finish(matchId: string, options: FinishOptions = {}): SimMatch {
    const world = this.world;
    const match = this.get(matchId);
    if (match.status === 'FINISHED' || match.status === 'CANCELLED') {
      throw new LobbyError(`match ${matchId} is already ${match.status}`);
    }
    const rng = Rng.of(world.seed, 'finish', matchId);
    const avgElo = (side: Faction) => {
      const elos = match.teams[side].roster.map((s) =>
        s.playerIndex === undefined ? 1000 : world.elo(world.players[s.playerIndex]),
      );
      return elos.reduce((a, b) => a + b, 0) / elos.length;
    };
    // The winner comes from the players' hidden strength, which ELO only estimates (see hiddenStrength), so an
    // accuracy measured here does not confirm the ELO formula by construction.
    const strength = (side: Faction) => {
      const s = match.teams[side].roster.map((slot) =>
        slot.playerIndex === undefined
          ? 1000
          : hiddenStrength(
              world.seed,
              world.players[slot.playerIndex],
              world.elo(world.players[slot.playerIndex]),
              match.map,
            ),
      );
      return s.reduce((a, b) => a + b, 0) / s.length;
    };
    const expected1 = 1 / (1 + 10 ** ((strength('faction2') - strength('faction1')) / 400));
    const winner: Faction = options.score
      ? options.score[0] > options.score[1]
        ? 'faction1'
        : 'faction2'
      : (options.winner ?? (rng.chance(expected1) ? 'faction1' : 'faction2'));
    const outcome = options.score
      ? fixedOutcome(match.map, options.score)
      : simulateOutcome(rng, match.map, winner);
    const now = Date.now();
    // Finished without going ONGOING: taken to have been played for 38 minutes, unless its room was served as not
    // started yet (an analysis read it), in which case it started only now: it never starts before it was seen
    // waiting, so an analysis made then counts as made before the start.
    match.startedAt ??= match.servedBeforeStartAt === undefined ? now - 38 * 60_000 : now;
    match.finishedAt = now;
    match.outcome = outcome;
    match.status = 'FINISHED';
    match.lines = new Map();
    const gain = clamp(
      Math.round(25 + ((winner === 'faction1' ? -1 : 1) * (avgElo('faction1') - avgElo('faction2'))) / 40),
      5,
      45,
    );
    for (const side of ['faction1', 'faction2'] as const) {
      for (const slot of match.teams[side].roster) {
        const player = slot.playerIndex === undefined ? undefined : world.players[slot.playerIndex];
        const id = rosterView(world, slot).id;
        const line = player
          ? simulateLine(Rng.of(world.seed, 'finish-line', matchId, id), player, outcome, side)
          : ghostSkillLine(rng, outcome, side);
        match.lines.set(id, line);
        if (!player) continue;
        world.addHistory(player, {
          matchId,
          faction: side,
          outcome,
          line,
          extended: true,
          startedAt: match.startedAt,
          finishedAt: now,
        });
        world.adjustElo(player, side === winner ? gain : -gain);
      }
    }
    return match;
  }

  info(match: SimMatch): LobbyInfo {
    const world = this.world;
    const side = (f: Faction) => ({
      factionId: match.teams[f].factionId,
      name: match.teams[f].name,
      players: match.teams[f].roster.map((slot) => {
        const view = rosterView(world, slot);
        const player = slot.playerIndex === undefined ? undefined : world.players[slot.playerIndex];
        return {
          playerId: view.id,
          nickname: view.nickname,
          level: view.level,
          elo: player && !player.noCs2 ? world.elo(player) : undefined,
          exists: !!player,
          hasCs2: !!player && !player.noCs2,
        };
      }),
    });
    return {
      matchId: match.matchId,
      status: match.status,
      map: match.map,
      roomUrl: `https://www.faceit.com/en/cs2/room/${match.matchId}`,
      teams: { faction1: side('faction1'), faction2: side('faction2') },
      winner: match.outcome?.winner,
      score: match.outcome ? { ...match.outcome.score } : undefined,
    };
  }
}

function fixedOutcome(map: string, [s1, s2]: [number, number]): Outcome {
  const max = Math.max(s1, s2);
  if (max < 13 || s1 === s2 || (max === 13 && Math.min(s1, s2) > 11))
    throw new LobbyError(`impossible score ${s1}:${s2}`);
  const overtime = max > 13;
  const reg = (s: number) => (overtime ? 12 : s);
  // First half: 12 rounds split in proportion to the final score, within what the score allows.
  const f1 = overtime ? 6 : clamp(Math.round((12 * s1) / (s1 + s2)), Math.max(0, 12 - s2), Math.min(12, s1));
  return {
    map,
    winner: s1 > s2 ? 'faction1' : 'faction2',
    score: { faction1: s1, faction2: s2 },
    firstHalf: { faction1: f1, faction2: 12 - f1 },
    overtime: { faction1: s1 - reg(s1), faction2: s2 - reg(s2) },
    rounds: s1 + s2,
  };
}

/**
 * The strength a player really plays at, on the ELO scale: his ELO, plus what his statistics show beyond it
 * (K/D above or below what his ELO implies; the world's K/D rises 0.14 per standard deviation of log-ELO), plus
 * his strength on the map, plus a hidden per-player offset (σ 100) nothing observable reveals. Deterministic per
 * seed and player. ELO alone is therefore a good but imperfect predictor, and a model that reads the statistics
 * can beat it: the harness has something real to measure.
 */
export function hiddenStrength(seed: string | number, player: SimPlayer, elo: number, map: string): number {
  const z = Math.log(Math.max(100, elo) / 1100) / 0.42;
  const kdBeyondElo = player.skill.kd - (0.92 + 0.14 * z);
  const hidden = Rng.of(seed, 'hidden-strength', player.index).normal(0, 100);
  return elo + 350 * kdBeyondElo + 500 * mapStrength(player, map) + hidden;
}
