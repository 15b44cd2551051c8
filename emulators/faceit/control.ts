import type { FaceitEndpoint } from '../../src/faceit/endpoints';
import type { Faults, FaultConfig } from './faults';
import { type CreateLobbyOptions, type FinishOptions, type LobbyInfo, Lobbies } from './lobbies';
import type { Role, SimPlayer } from './players';
import type { RateWindow } from './rate-window';
import type { RequestCounts, RequestLog, RequestLogEntry } from './request-log';
import type { WebhookConfig, WebhookDelivery, WebhookSender } from './webhooks';
import type { MatchStatus, World } from './world';

/**
 * The emulator's control surface, used in-process by tests and over HTTP under /__control (see control-http.ts).
 * Lobby operations resolve after the matching webhook was delivered (or given up), so a test can assert on both.
 */

export interface PlayerCriteria {
  minMatches?: number;
  maxMatches?: number;
  minElo?: number;
  maxElo?: number;
  level?: number;
  role?: Role;
  smurf?: boolean;
  newAccount?: boolean;
  hasCs2?: boolean;
  limit?: number;
}

export interface PlayerSummary {
  playerId: string;
  nickname: string;
  steamId64: string;
  country: string;
  elo: number;
  level: number;
  matches: number;
  role: Role;
  smurf: boolean;
  newAccount: boolean;
  hasCs2: boolean;
}

export interface LatencySettings {
  latencyMs: number;
  latencyJitterMs: number;
}

export class EmulatorControl {
  private readonly lobbies: Lobbies;

  constructor(
    readonly world: World,
    private readonly faults: Faults,
    private readonly log: RequestLog,
    private readonly rate: RateWindow,
    private readonly webhooks: WebhookSender,
    readonly latency: LatencySettings,
  ) {
    this.lobbies = new Lobbies(world);
  }

  /**
   * Creates a matchmaking match (READY by default) and sends `match_status_ready` (or the status's event; a VOTING
   * match sends `match_object_created`, FACEIT's only event before the map vote).
   */
  async createLobby(options: CreateLobbyOptions = {}): Promise<LobbyInfo> {
    const match = this.lobbies.create(options);
    if (match.status === 'VOTING') await this.webhooks.send('match_object_created', match);
    if (match.status === 'CONFIGURING') await this.webhooks.send('match_status_configuring', match);
    if (match.status === 'READY') await this.webhooks.send('match_status_ready', match);
    if (match.status === 'FINISHED') await this.webhooks.send('match_status_finished', match);
    if (match.status === 'CANCELLED') await this.webhooks.send('match_status_cancelled', match);
    return this.lobbies.info(match);
  }

  /** Finishes a control-created match: history, stats and ELO of its players change; `match_status_finished` is sent. */
  async finishMatch(matchId: string, options: FinishOptions = {}): Promise<LobbyInfo> {
    const match = this.lobbies.finish(matchId, options);
    await this.webhooks.send('match_status_finished', match);
    return this.lobbies.info(match);
  }

  async setMatchStatus(matchId: string, status: MatchStatus): Promise<LobbyInfo> {
    const before = this.lobbies.get(matchId).status;
    const match = this.lobbies.setStatus(matchId, status);
    // A match moving into a new state announces it, like FACEIT (a repeated status is no event).
    if (status === before) return this.lobbies.info(match);
    if (status === 'CONFIGURING') await this.webhooks.send('match_status_configuring', match);
    if (status === 'READY') await this.webhooks.send('match_status_ready', match);
    if (status === 'FINISHED') await this.webhooks.send('match_status_finished', match);
    if (status === 'CANCELLED') await this.webhooks.send('match_status_cancelled', match);
    return this.lobbies.info(match);
  }

  lobby(matchId: string): LobbyInfo {
    return this.lobbies.info(this.lobbies.get(matchId));
  }

  /** Replaces the fault configuration ({} = no faults). */
  setFaults(config: FaultConfig): void {
    this.faults.set(config);
  }

  clearFaults(): void {
    this.faults.set({});
  }

  getFaults(): FaultConfig {
    return this.faults.get();
  }

  setLatency(latencyMs: number, latencyJitterMs = this.latency.latencyJitterMs): void {
    this.latency.latencyMs = latencyMs;
    this.latency.latencyJitterMs = latencyJitterMs;
  }

  requestLog(filter: { endpoint?: FaceitEndpoint; since?: number; limit?: number } = {}): RequestLogEntry[] {
    return this.log.list(filter);
  }

  counts(): RequestCounts {
    return this.log.snapshot();
  }

  /** Clears the request log and counters (and, with `rateWindows`, FACEIT's per-key windows too). */
  resetCounters(options: { rateWindows?: boolean } = {}): void {
    this.log.reset();
    if (options.rateWindows) this.rate.reset();
  }

  summary(player: SimPlayer): PlayerSummary {
    return {
      playerId: player.id,
      nickname: player.nickname,
      steamId64: player.steamId64,
      country: player.country,
      elo: this.world.elo(player),
      level: this.world.level(player),
      matches: this.world.matchCount(player),
      role: player.role,
      smurf: player.smurf,
      newAccount: player.newAccount,
      hasCs2: !player.noCs2,
    };
  }

  /** A player by id, nickname or Steam64 id. */
  player(ref: string): PlayerSummary | undefined {
    const p = this.world.byId(ref) ?? this.world.byNickname(ref) ?? this.world.bySteamId(ref);
    return p && this.summary(p);
  }

  findPlayers(criteria: PlayerCriteria = {}): PlayerSummary[] {
    const out: PlayerSummary[] = [];
    const limit = criteria.limit ?? 10;
    for (const p of this.world.players) {
      if (out.length >= limit) break;
      const s = this.summary(p);
      if (criteria.minMatches !== undefined && s.matches < criteria.minMatches) continue;
      if (criteria.maxMatches !== undefined && s.matches > criteria.maxMatches) continue;
      if (criteria.minElo !== undefined && s.elo < criteria.minElo) continue;
      if (criteria.maxElo !== undefined && s.elo > criteria.maxElo) continue;
      if (criteria.level !== undefined && s.level !== criteria.level) continue;
      if (criteria.role !== undefined && s.role !== criteria.role) continue;
      if (criteria.smurf !== undefined && s.smurf !== criteria.smurf) continue;
      if (criteria.newAccount !== undefined && s.newAccount !== criteria.newAccount) continue;
      if (criteria.hasCs2 !== undefined && s.hasCs2 !== criteria.hasCs2) continue;
      out.push(s);
    }
    return out;
  }

  setWebhook(config: WebhookConfig | null): void {
    this.webhooks.configure(config ?? undefined);
  }

  webhookDeliveries(): WebhookDelivery[] {
    return this.webhooks.list();
  }
}
