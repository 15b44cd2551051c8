import type { FaceitEndpoint } from '../../src/faceit/endpoints';
import type { EmulatorControl, PlayerCriteria } from './control';
import { LobbyError } from './lobbies';
import type { Role } from './players';
import type { MatchStatus } from './world';

/**
 * HTTP face of EmulatorControl, for other processes (the bot in the local demo, benchmarks):
 *   POST   /__control/lobbies                 body: CreateLobbyOptions        → LobbyInfo
 *   GET    /__control/matches/{id}                                            → LobbyInfo
 *   POST   /__control/matches/{id}/finish     body: FinishOptions             → LobbyInfo
 *   POST   /__control/matches/{id}/status     body: { status }                → LobbyInfo
 *   GET|PUT|DELETE /__control/faults          body: FaultConfig
 *   PUT    /__control/latency                 body: { latencyMs, latencyJitterMs? }
 *   GET    /__control/requests?endpoint=&limit=&since=
 *   GET    /__control/counts
 *   POST   /__control/reset                   body: { rateWindows?: boolean }
 *   GET    /__control/players?minMatches=&maxMatches=&minElo=&maxElo=&level=&role=&smurf=&newAccount=&hasCs2=&limit=
 *   GET    /__control/players/{id|nickname|steam64}
 *   PUT|DELETE /__control/webhook             body: { url, secret?, headerName?, appId? }
 *   GET    /__control/webhooks                (deliveries)
 * No auth: the emulator is a test double and must never face the internet.
 */

export interface ControlResult {
  status: number;
  body: unknown;
}

const num = (q: URLSearchParams, name: string) => (q.has(name) ? Number(q.get(name)) : undefined);
const flag = (q: URLSearchParams, name: string) => (q.has(name) ? q.get(name) === 'true' : undefined);

export async function routeControl(
  control: EmulatorControl,
  method: string,
  path: string,
  query: URLSearchParams,
  body: Record<string, unknown>,
): Promise<ControlResult> {
  const parts = path.split('/').filter(Boolean).slice(1);
  const ok = (value: unknown): ControlResult => ({ status: 200, body: value ?? { ok: true } });
  try {
    const [head, id, action] = parts;
    if (head === 'lobbies' && method === 'POST') return ok(await control.createLobby(body));
    if (head === 'matches' && id && !action && method === 'GET') return ok(control.lobby(id));
    if (head === 'matches' && id && action === 'finish' && method === 'POST')
      return ok(await control.finishMatch(id, body));
    if (head === 'matches' && id && action === 'status' && method === 'POST') {
      return ok(await control.setMatchStatus(id, body.status as MatchStatus));
    }
    if (head === 'faults') {
      if (method === 'GET') return ok(control.getFaults());
      if (method === 'DELETE') return ok(control.clearFaults());
      return ok(control.setFaults(body));
    }
    if (head === 'latency' && method !== 'GET') {
      return ok(control.setLatency(Number(body.latencyMs ?? 0), body.latencyJitterMs as number | undefined));
    }
    if (head === 'requests') {
      const endpoint = (query.get('endpoint') ?? undefined) as FaceitEndpoint | undefined;
      return ok(control.requestLog({ endpoint, limit: num(query, 'limit'), since: num(query, 'since') }));
    }
    if (head === 'counts') return ok(control.counts());
    if (head === 'reset' && method === 'POST')
      return ok(control.resetCounters({ rateWindows: body.rateWindows === true }));
    if (head === 'players' && id) {
      const player = control.player(decodeURIComponent(id));
      return player ? ok(player) : { status: 404, body: { error: 'no such player' } };
    }
    if (head === 'players') {
      const criteria: PlayerCriteria = {
        minMatches: num(query, 'minMatches'),
        maxMatches: num(query, 'maxMatches'),
        minElo: num(query, 'minElo'),
        maxElo: num(query, 'maxElo'),
        level: num(query, 'level'),
        role: (query.get('role') ?? undefined) as Role | undefined,
        smurf: flag(query, 'smurf'),
        newAccount: flag(query, 'newAccount'),
        hasCs2: flag(query, 'hasCs2'),
        limit: num(query, 'limit'),
      };
      return ok(control.findPlayers(criteria));
    }
    if (head === 'webhook') {
      if (method === 'DELETE') return ok(control.setWebhook(null));
      if (typeof body.url !== 'string') return { status: 400, body: { error: 'url is required' } };
      return ok(control.setWebhook(body as { url: string }));
    }
    if (head === 'webhooks') return ok(control.webhookDeliveries());
    return { status: 404, body: { error: `no control route ${method} ${path}` } };
  } catch (err) {
    if (err instanceof LobbyError) return { status: 400, body: { error: err.message } };
    throw err;
  }
}
