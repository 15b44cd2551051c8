/**
 * Entry point of the pure lobby analysis: `analyzeLobby(input) → LobbyAnalysis`.
 *
 * The analysis is neutral (faction1 vs faction2) so that one analysis serves every requester of a match; the
 * requester's side ("us") is applied when rendering or through `perspectiveOf`.
 *
 * Callers check `lobbyRejection(match)` first (finished/cancelled matches and anything that is not two teams are
 * refused with a reason); `analyzeLobby` itself analyses whatever it is given and never throws on missing data.
 */
import { analyseMaps, mapPool } from './maps';
import { normaliseMap } from '../../faceit/maps';
import { predictLobby } from './prediction';
import { detectRole } from './role';
import { summarisePlayer, type PlayerStatsSummary } from './player-stats';
import {
  averages,
  dangerousOf,
  eloAtStake,
  lobbyEloEstimator,
  rankByThreat,
  weakestOf,
  winProbability,
} from './team';
import { assessThreat, detectFlags } from './threat';
import { teamParties } from './parties';
import { playerSignals } from './signals';
import { vetoOf } from './veto';
import type {
  EloStake,
  FactionId,
  LobbyAnalysis,
  LobbyInput,
  LobbyRejection,
  MatchInfo,
  PlayerAnalysis,
  TeamAnalysis,
} from './types';

const FINISHED_STATUSES = new Set(['FINISHED']);
const CANCELLED_STATUSES = new Set(['CANCELLED', 'CANCELED', 'ABORTED']);

/** Why a match cannot be analysed, or null when it can. */
export function lobbyRejection(match: MatchInfo): LobbyRejection | null {
  const status = match.status.toUpperCase();
  if (FINISHED_STATUSES.has(status)) return 'finished';
  if (CANCELLED_STATUSES.has(status)) return 'cancelled';
  const f1 = match.factions.faction1?.roster ?? [];
  const f2 = match.factions.faction2?.roster ?? [];
  if (f1.length === 0 || f2.length === 0) return 'not-two-teams';
  return null;
}

/** The requester's side: the faction of `playerId` when he is in the lobby, else neutral. */
export function perspectiveOf(
  analysis: Pick<LobbyAnalysis, 'teams'>,
  playerId?: string | null,
): { us: FactionId; them: FactionId } | null {
  if (!playerId) return null;
  for (const f of ['faction1', 'faction2'] as const) {
    if (analysis.teams[f].players.some((p) => p.playerId === playerId)) {
      return { us: f, them: f === 'faction1' ? 'faction2' : 'faction1' };
    }
  }
  return null;
}

function basePlayer(
  input: LobbyInput,
  faction: FactionId,
  index: number,
): { player: PlayerAnalysis; summary: PlayerStatsSummary } {
  const entry = input.match.factions[faction].roster[index];
  const data = input.players[entry.playerId];
  const summary = summarisePlayer(data);
  const level = data?.details?.level ?? entry.skillLevel ?? null;
  const flags = detectFlags(summary, level);
  const player: PlayerAnalysis = {
    playerId: entry.playerId,
    nickname: entry.nickname,
    faction,
    elo: data?.details?.elo ?? null,
    level,
    country: data?.details?.country ?? null,
    source: summary.source,
    matches: summary.matches,
    kd: summary.kd,
    adr: summary.adr,
    hsPercent: summary.hsPercent,
    winRate: summary.winRate,
    kpr: summary.kpr,
    dpr: summary.dpr,
    rating: summary.rating,
    form: summary.form,
    role: detectRole(summary.extended),
    flags,
    maps: summary.maps,
    threat: null,
    signals: playerSignals(summary, data, input.asOf),
    modelStats: {
      recentRating: summary.recent10?.rating ?? null,
      recentWinRate: summary.recent10?.winRate ?? null,
      recentKd: summary.recent10?.kd ?? null,
      lifetimeRating: summary.lifetime?.rating ?? null,
      lifetimeWinRate: summary.lifetime?.winRate ?? null,
      lifetimeKd: summary.lifetime?.kd ?? null,
    },
  };
  return { player, summary };
}

export function analyzeLobby(input: LobbyInput): LobbyAnalysis {
  const { match } = input;
  const built: { player: PlayerAnalysis; summary: PlayerStatsSummary }[] = [];
  const players: Record<FactionId, PlayerAnalysis[]> = { faction1: [], faction2: [] };
  for (const f of ['faction1', 'faction2'] as const) {
    match.factions[f].roster.forEach((_entry, i) => {
      const b = basePlayer(input, f, i);
      built.push(b);
      players[f].push(b.player);
    });
  }

  const everyone = built.map((b) => b.player);
  const estimate = lobbyEloEstimator(everyone);
  const lobby = averages(everyone, estimate);
  for (const { player: p, summary } of built) {
    p.threat = assessThreat(summary, { elo: p.elo, lobbyAvgElo: lobby.avgElo, flags: p.flags });
  }

  const teams = {} as Record<FactionId, TeamAnalysis>;
  for (const f of ['faction1', 'faction2'] as const) {
    const a = averages(players[f], estimate);
    const together = teamParties(match.factions[f].roster, input.players, match.matchId);
    teams[f] = {
      faction: f,
      name: match.factions[f].name,
      players: rankByThreat(players[f]),
      avgElo: a.avgElo,
      avgLevel: a.avgLevel,
      eloEstimated: a.eloEstimated,
      playersWithData: players[f].filter((p) => !p.flags.noData).length,
      parties: together.parties,
      soloPlayers: together.soloPlayers,
      duos: together.duos,
    };
  }

  // ELO at stake follows FACEIT's own formula (it is how FACEIT moves the points); the win probability is the model's.
  let stake: Record<FactionId, EloStake> | null = null;
  if (teams.faction1.avgElo !== null && teams.faction2.avgElo !== null) {
    const raw1 = winProbability(teams.faction1.avgElo, teams.faction2.avgElo);
    stake = { faction1: eloAtStake(raw1), faction2: eloAtStake(1 - raw1) };
  }

  const dangerous = { faction1: dangerousOf(teams.faction1), faction2: dangerousOf(teams.faction2) };
  const weakest = {
    faction1: weakestOf(teams.faction1, dangerous.faction1),
    faction2: weakestOf(teams.faction2, dangerous.faction2),
  };
  const picked = match.pickedMap ? normaliseMap(match.pickedMap) || null : null;
  const maps = analyseMaps(teams, mapPool(match.mapPool, picked), picked);
  const { inputs, prediction } = predictLobby({ teams, pickedMap: picked });
  const winP: Record<FactionId, number> | null =
    prediction.elo === null ? null : { faction1: prediction.elo, faction2: 1 - prediction.elo };

  return {
    matchId: match.matchId,
    status: match.status,
    competitionName: match.competitionName ?? null,
    region: match.region ?? null,
    pickedMap: picked,
    teams,
    lobbyAvgElo: lobby.avgElo,
    winProbability: winP,
    modelWinProbability:
      prediction.model === null ? null : { faction1: prediction.model, faction2: 1 - prediction.model },
    predictionTerms: prediction.terms,
    modelInputs: inputs,
    eloAtStake: stake,
    dangerous,
    weakest,
    maps,
    bestOf: match.bestOf ?? null,
    veto: vetoOf(teams, maps, match.bestOf ?? null),
    faceitWinProbability: match.faceitWinProbability ?? null,
    mapRecordsAgeMs: mapRecordsAge(input, everyone),
  };
}

/** How old the oldest lifetime stats behind a per-map record are at `asOf` (the map table's age line). */
function mapRecordsAge(input: LobbyInput, players: readonly PlayerAnalysis[]): number | null {
  if (input.asOf === undefined) return null;
  let oldest: number | null = null;
  for (const p of players) {
    const at = input.players[p.playerId]?.lifetimeFetchedAt;
    if (at === undefined || !p.maps.some((m) => m.source === 'lifetime')) continue;
    oldest = oldest === null ? at : Math.min(oldest, at);
  }
  return oldest === null ? null : Math.max(0, input.asOf - oldest);
}

/**
 * The analysis once the map is picked (a brief sent during the vote is edited to it): the same players and map
 * table, the picked map first, the model's probability with that map's terms. Pure, no FACEIT call: the per-map
 * records are already in the analysis. A map outside the analysed pool only changes `pickedMap`.
 */
export function withPickedMap(a: LobbyAnalysis, map: string, status?: string): LobbyAnalysis {
  const picked = normaliseMap(map) || null;
  const maps = a.maps
    .map((m, i) => ({ m: { ...m, picked: m.map === picked }, i }))
    .sort((x, y) => Number(y.m.picked) - Number(x.m.picked) || x.i - y.i)
    .map(({ m }) => m);
  const { inputs, prediction } = predictLobby({ teams: a.teams, pickedMap: picked });
  return {
    ...a,
    status: status ?? a.status,
    pickedMap: picked,
    maps,
    winProbability:
      prediction.elo === null ? a.winProbability : { faction1: prediction.elo, faction2: 1 - prediction.elo },
    modelWinProbability:
      prediction.model === null ? null : { faction1: prediction.model, faction2: 1 - prediction.model },
    predictionTerms: prediction.terms,
    modelInputs: inputs,
  };
}
