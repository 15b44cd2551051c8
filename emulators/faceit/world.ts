import {
  type Faction,
  type Outcome,
  type StatLine,
  pickMap,
  mapStrength,
  simulateLine,
  simulateOutcome,
} from './match-sim';
import { type SimPlayer, generatePlayer, levelForElo } from './players';
import { Rng, clamp, hash32 } from './prng';

/**
 * The emulator's world: N players generated from a seed (identities up front — a few ms for thousands — and
 * everything heavier lazily: a player's match timeline is built on first use and memoised in a small LRU).
 * Synthetic matches are never stored: their id encodes (owner, k) so /matches/{id} regenerates them on demand.
 * Matches created through the control API (lobbies) are stored and, once finished, prepended to each player's
 * history so monitoring sees them.
 */

export type MatchStatus = 'VOTING' | 'CONFIGURING' | 'READY' | 'ONGOING' | 'FINISHED' | 'CANCELLED';

export interface HistoryEntry {
  matchId: string;
  faction: Faction;
  outcome: Outcome;
  line: StatLine;
  /** Whether the match carries extended stats (entry, utility, clutch...). */
  extended: boolean;
  startedAt: number;
  finishedAt: number;
}

/** A roster slot: a world player, or a ghost whose /players/{id} answers 404. */
const LIVE: ReadonlySet<MatchStatus> = new Set<MatchStatus>(['CONFIGURING', 'VOTING', 'READY', 'ONGOING']);

export interface RosterEntry {
  playerIndex?: number;
  ghost?: { id: string; nickname: string; steamId64: string; level: number };
}

export interface SimTeam {
  factionId: string;
  name: string;
  roster: RosterEntry[];
}

export interface SimMatch {
  matchId: string;
  origin: 'history' | 'lobby';
  status: MatchStatus;
  region: string;
  map: string;
  location: string;
  teams: Record<Faction, SimTeam>;
  createdAt: number;
  configuredAt: number;
  startedAt?: number;
  /** The last time the room was served while the match had not started (lobbies; see Lobbies.finish). */
  servedBeforeStartAt?: number;
  finishedAt?: number;
  outcome?: Outcome;
  /** Stat lines by player id, once finished. */
  lines?: Map<string, StatLine>;
  /**
   * FACEIT's own win probability of faction1 when the room was made (matchmaking rooms carry it under
   * `teams.factionN.stats`): its ELO formula on the team means then. Absent on history matches.
   */
  faceitWinProbability?: number;
  /**
   * Until this moment (epoch ms) the rosters are empty, in the match room and the webhooks alike: FACEIT may create
   * the match object before its teams are filled in.
   */
  rostersAt?: number;
}

/** A timeline generated up to `entries.length`, with the generator state to continue it. */
interface PartialTimeline {
  entries: HistoryEntry[];
  times: Rng;
  finishedAt: number;
  sessionLeft: number;
}

export const LOCATIONS = ['Germany', 'Netherlands', 'France', 'Sweden', 'UK', 'Poland', 'Finland'];
const TIMELINE_CACHE = 400;

export class World {
  readonly players: SimPlayer[] = [];
  private readonly byIdMap = new Map<string, SimPlayer>();
  private readonly byNickLower = new Map<string, SimPlayer>();
  private readonly bySteamMap = new Map<string, SimPlayer>();
  /** Player indices sorted by ELO, to fill rosters with players of similar strength. */
  private readonly eloOrder: number[];
  private readonly eloRank: number[] = [];
  private readonly timelines = new Map<number, PartialTimeline>();
  private readonly idMask: number;
  readonly lobbies = new Map<string, SimMatch>();
  private readonly extras = new Map<number, HistoryEntry[]>();
  private readonly eloDelta = new Map<number, number>();

  constructor(
    readonly seed: string | number,
    count: number,
    readonly anchorTime: number,
  ) {
    if (count > 1 << 20) throw new Error('at most 1,048,576 players');
    this.idMask = hash32(seed, 'match-id-mask');
    for (let i = 0; i < count; i++) {
      const player = generatePlayer(seed, i, anchorTime);
      while (this.byNickLower.has(player.nickname.toLowerCase())) player.nickname += String(i % 10);
      this.players.push(player);
      this.byIdMap.set(player.id, player);
      this.byNickLower.set(player.nickname.toLowerCase(), player);
      this.bySteamMap.set(player.steamId64, player);
    }
    this.eloOrder = this.players
      .map((p) => p.index)
      .sort((a, b) => this.players[a].baseElo - this.players[b].baseElo);
    this.eloOrder.forEach((index, rank) => (this.eloRank[index] = rank));
  }

  byId(id: string): SimPlayer | undefined {
    return this.byIdMap.get(id);
  }

  /** FACEIT nicknames are unique regardless of case; the lookup is lenient about case too. */
  byNickname(nickname: string): SimPlayer | undefined {
    return this.byNickLower.get(nickname.toLowerCase());
  }

  bySteamId(steamId64: string): SimPlayer | undefined {
    return this.bySteamMap.get(steamId64);
  }

  elo(player: SimPlayer): number {
    return clamp(player.baseElo + (this.eloDelta.get(player.index) ?? 0), 100, 5000);
  }

  level(player: SimPlayer): number {
    return levelForElo(this.elo(player));
  }

  adjustElo(player: SimPlayer, delta: number): void {
    this.eloDelta.set(player.index, (this.eloDelta.get(player.index) ?? 0) + delta);
  }

  /**
   * Newest first: finished lobby matches, then the synthetic timeline. `count` bounds how much of the timeline
   * is generated (a page of /games/cs2/stats needs only its first entries; lifetime stats need them all).
   */
  history(player: SimPlayer, count = Infinity): HistoryEntry[] {
    const extras = this.extras.get(player.index) ?? [];
    const timeline = this.timeline(player, Math.max(0, count - extras.length));
    return extras.length ? [...extras, ...timeline] : timeline;
  }

  /**
   * The control-created match the player is in right now (CONFIGURING, VOTING, READY or ONGOING), if any: FACEIT's
   * /history lists a match from its start, before it is finished.
   */
  liveMatch(player: SimPlayer): SimMatch | undefined {
    let found: SimMatch | undefined;
    for (const m of this.lobbies.values()) {
      if (!LIVE.has(m.status)) continue;
      const sides = [m.teams.faction1.roster, m.teams.faction2.roster];
      if (!sides.some((r) => r.some((slot) => slot.playerIndex === player.index))) continue;
      if (!found || m.configuredAt > found.configuredAt) found = m;
    }
    return found;
  }

  addHistory(player: SimPlayer, entry: HistoryEntry): void {
    const list = this.extras.get(player.index) ?? [];
    list.unshift(entry);
    this.extras.set(player.index, list);
  }

  matchCount(player: SimPlayer): number {
    return player.matchCount + (this.extras.get(player.index)?.length ?? 0);
  }

  /** The player's synthetic matches, newest first (k = 0 is the latest), generated up to `count` and memoised. */
  private timeline(player: SimPlayer, count: number): HistoryEntry[] {
    let t = this.timelines.get(player.index);
    if (t) {
      this.timelines.delete(player.index);
    } else {
      const times = Rng.of(this.seed, 'times', player.index);
      t = {
        entries: [],
        times,
        finishedAt: this.anchorTime - player.lastPlayedAgoMs,
        sessionLeft: times.int(1, 6),
      };
      if (this.timelines.size >= TIMELINE_CACHE)
        this.timelines.delete(this.timelines.keys().next().value as number);
    }
    this.timelines.set(player.index, t);
    const target = Math.min(count, player.matchCount);
    while (t.entries.length < target) {
      const k = t.entries.length;
      const startedAt = t.finishedAt - Math.round(t.times.range(32, 48) * 60_000);
      t.entries.push({
        ...this.synthesize(player, k),
        extended: k < player.extendedCount,
        startedAt,
        finishedAt: t.finishedAt,
      });
      t.sessionLeft--;
      const gapMin = t.sessionLeft > 0 ? t.times.range(3, 12) : -Math.log(1 - t.times.next()) * 30 * 60;
      if (t.sessionLeft <= 0) t.sessionLeft = t.times.int(1, 6);
      t.finishedAt = startedAt - Math.round(gapMin * 60_000);
    }
    return t.entries.length > target ? t.entries.slice(0, target) : t.entries;
  }

  private synthesize(
    player: SimPlayer,
    k: number,
  ): Omit<HistoryEntry, 'extended' | 'startedAt' | 'finishedAt'> {
    const rng = Rng.of(this.seed, 'match', player.index, k);
    const map = pickMap(rng, player);
    const won = rng.chance(clamp(player.skill.winRate + mapStrength(player, map) * 0.8, 0.05, 0.95));
    const faction: Faction = rng.chance(0.5) ? 'faction1' : 'faction2';
    const outcome = simulateOutcome(
      rng,
      map,
      won ? faction : faction === 'faction1' ? 'faction2' : 'faction1',
    );
    return {
      matchId: this.encodeMatchId(player.index, k),
      faction,
      outcome,
      line: simulateLine(rng, player, outcome, faction),
    };
  }

  /** `1-<uuid>` whose last 12 hex digits hide (owner, k) plus a check, so the id alone regenerates the match. */
  private encodeMatchId(index: number, k: number): string {
    const h = Rng.of(this.seed, 'match-id', index, k).hex(20);
    const packed = ((index * 4096 + k) ^ this.idMask) >>> 0;
    const check = hash32(this.seed, 'match-check', index, k) & 0xffff;
    const tail = packed.toString(16).padStart(8, '0') + check.toString(16).padStart(4, '0');
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `1-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${tail}`;
  }

  private decodeMatchId(matchId: string): { player: SimPlayer; k: number } | undefined {
    const m = /^1-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-([0-9a-f]{8})[0-9a-f]{4}$/.exec(matchId);
    if (!m) return undefined;
    const packed = (parseInt(m[1], 16) ^ this.idMask) >>> 0;
    const player = this.players[Math.floor(packed / 4096)];
    const k = packed % 4096;
    if (!player || k >= player.matchCount || this.encodeMatchId(player.index, k) !== matchId)
      return undefined;
    return { player, k };
  }

  match(matchId: string): SimMatch | undefined {
    const lobby = this.lobbies.get(matchId);
    if (lobby) return lobby;
    const decoded = this.decodeMatchId(matchId);
    if (!decoded) return undefined;
    const { player, k } = decoded;
    const entry = this.timeline(player, k + 1)[k];
    const rng = Rng.of(this.seed, 'mates', player.index, k);
    const mates = this.similarPlayers(rng, player, 9);
    const own = [player.index, ...mates.slice(0, 4)];
    rng.shuffleInPlace(own);
    const other = mates.slice(4);
    const teams = {
      [entry.faction]: this.team(rng, own),
      [entry.faction === 'faction1' ? 'faction2' : 'faction1']: this.team(rng, other),
    } as Record<Faction, SimTeam>;
    const lines = new Map<string, StatLine>([[player.id, entry.line]]);
    for (const side of ['faction1', 'faction2'] as const) {
      for (const slot of teams[side].roster) {
        const p = this.players[slot.playerIndex as number];
        if (p !== player) {
          lines.set(
            p.id,
            simulateLine(Rng.of(this.seed, 'line', player.index, k, p.index), p, entry.outcome, side),
          );
        }
      }
    }
    return {
      matchId,
      origin: 'history',
      status: 'FINISHED',
      region: player.region,
      map: entry.outcome.map,
      location: rng.pick(LOCATIONS),
      teams,
      createdAt: entry.startedAt - 150_000,
      configuredAt: entry.startedAt - 60_000,
      startedAt: entry.startedAt,
      finishedAt: entry.finishedAt,
      outcome: entry.outcome,
      lines,
    };
  }

  team(rng: Rng, indices: number[]): SimTeam {
    const leader = this.players[indices[0]];
    return {
      factionId: rng.uuid(),
      name: `team_${leader.nickname}`,
      roster: indices.map((playerIndex) => ({ playerIndex })),
    };
  }

  /** `count` distinct CS2 players near `player` in ELO (never `player` itself). */
  similarPlayers(
    rng: Rng,
    player: SimPlayer | undefined,
    count: number,
    exclude: Set<number> = new Set(),
  ): number[] {
    const centre = player ? this.eloRank[player.index] : rng.int(0, this.players.length - 1);
    const chosen: number[] = [];
    const taken = new Set(exclude);
    if (player) taken.add(player.index);
    for (let tries = 0; chosen.length < count && tries < count * 200; tries++) {
      const spread = 40 + tries;
      const rank = clamp(Math.round(centre + rng.normal(0, spread)), 0, this.eloOrder.length - 1);
      const index = this.eloOrder[rank];
      if (taken.has(index) || this.players[index].noCs2) continue;
      taken.add(index);
      chosen.push(index);
    }
    return chosen;
  }

  /** The player nearest to an ELO value, for lobbies built around a target strength. */
  nearestByElo(elo: number): SimPlayer {
    let lo = 0;
    let hi = this.eloOrder.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.players[this.eloOrder[mid]].baseElo < elo) lo = mid + 1;
      else hi = mid;
    }
    return this.players[this.eloOrder[lo]];
  }
}
