import { Rng } from './prng';
import { COMPETITION, rosterView, rostersShown } from './render-matches';
import type { SimMatch, World } from './world';

/**
 * FACEIT-style webhooks (`match_object_created` when a match is made, its map vote about to start, possibly
 * before its rosters are filled in; `match_status_configuring`, `match_status_ready`, `match_status_finished`,
 * `match_status_cancelled`) posted to a
 * registered URL. FACEIT lets a subscription carry a static secret in a header of your choice; `headerName`
 * (default `X-Faceit-Webhook-Secret`) names it. Delivery is retried twice on failure, like a lenient sender.
 */

export type WebhookEvent =
  | 'match_object_created'
  | 'match_status_configuring'
  | 'match_status_ready'
  | 'match_status_finished'
  | 'match_status_cancelled';

export interface WebhookConfig {
  url: string;
  secret?: string;
  headerName?: string;
  appId?: string;
}

export interface WebhookDelivery {
  event: WebhookEvent;
  matchId: string;
  eventId: string;
  at: number;
  attempts: number;
  status?: number;
  error?: string;
}

export const DEFAULT_WEBHOOK_HEADER = 'X-Faceit-Webhook-Secret';

export function webhookPayload(world: World, match: SimMatch, event: WebhookEvent, rng: Rng, appId: string) {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    transaction_id: rng.uuid(),
    event,
    event_id: rng.uuid(),
    third_party_id: '*',
    app_id: appId,
    timestamp: new Date().toISOString(),
    retry_count: 0,
    version: 1,
    payload: {
      id: match.matchId,
      organizer_id: COMPETITION.organizer,
      region: match.region,
      game: 'cs2',
      version: 2,
      entity: { id: COMPETITION.id, name: COMPETITION.name, type: COMPETITION.type },
      teams: (['faction1', 'faction2'] as const).map((side) => {
        const team = match.teams[side];
        const roster = rostersShown(match) ? team.roster.map((slot) => rosterView(world, slot)) : [];
        return {
          id: team.factionId,
          name: team.name,
          type: '',
          avatar: roster[0]?.avatar ?? '',
          leader_id: roster[0]?.id ?? '',
          co_leader_id: '',
          roster: roster.map((p) => ({
            id: p.id,
            nickname: p.nickname,
            avatar: p.avatar,
            game_id: p.steamId64,
            game_name: p.steamNickname,
            game_skill_level: p.level,
            membership: p.membership,
            anticheat_required: true,
          })),
          substitutions: 0,
          substitutes: null,
        };
      }),
      created_at: iso(match.createdAt),
      updated_at: new Date().toISOString(),
      started_at: iso(match.startedAt),
      finished_at: iso(match.finishedAt),
    },
  };
}

export class WebhookSender {
  private config: WebhookConfig | undefined;
  private readonly deliveries: WebhookDelivery[] = [];
  private readonly rng: Rng;

  constructor(
    private readonly world: World,
    seed: string | number,
  ) {
    this.rng = Rng.of(seed, 'webhooks');
  }

  configure(config: WebhookConfig | undefined): void {
    this.config = config;
  }

  list(): WebhookDelivery[] {
    return this.deliveries.map((d) => ({ ...d }));
  }

  /** Resolves once delivered or given up (never rejects): control calls await it so tests see the effect. */
  async send(event: WebhookEvent, match: SimMatch): Promise<void> {
    const config = this.config;
    if (!config) return;
    const body = webhookPayload(this.world, match, event, this.rng, config.appId ?? 'emulator-app');
    const delivery: WebhookDelivery = {
      event,
      matchId: match.matchId,
      eventId: body.event_id,
      at: Date.now(),
      attempts: 0,
    };
    this.deliveries.push(delivery);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (config.secret) headers[config.headerName ?? DEFAULT_WEBHOOK_HEADER] = config.secret;
    for (let attempt = 0; attempt < 3; attempt++) {
      delivery.attempts = attempt + 1;
      try {
        const res = await fetch(config.url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ ...body, retry_count: attempt }),
          signal: AbortSignal.timeout(5_000),
        });
        await res.arrayBuffer();
        delivery.status = res.status;
        delivery.error = undefined;
        if (res.ok) return;
      } catch (err) {
        delivery.error = err instanceof Error ? err.message : String(err);
      }
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }
}
