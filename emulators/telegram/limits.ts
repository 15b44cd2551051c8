// Flood control like Telegram's: token buckets per chat (private / group), per chat for edits, and one for the
// whole bot that sends and edits both spend. Exceeding any of them yields 429 "Too Many Requests: retry after N".

export interface RateLimit {
  /** How many requests may go through back to back. */
  burst: number;
  /** Sustained rate (tokens refilled per second). */
  perSecond: number;
}

export interface FloodLimits {
  enabled: boolean;
  /** Messages to one private chat (chat id > 0). Telegram: about 1/s with short bursts. */
  privateChat: RateLimit | null;
  /** Messages to one group (chat id < 0). Telegram: 20 per minute. */
  groupChat: RateLimit | null;
  /** Messages sent and edited by the whole bot. Telegram: about 30/s. */
  global: RateLimit | null;
  /** Edits (editMessageText / editMessageReplyMarkup) per chat; Telegram is more lenient with these. */
  edits: RateLimit | null;
}

export type FloodLimitsInput = Partial<FloodLimits> | false;

export const DEFAULT_LIMITS: FloodLimits = {
  enabled: true,
  privateChat: { burst: 5, perSecond: 1 },
  groupChat: { burst: 20, perSecond: 20 / 60 },
  global: { burst: 30, perSecond: 30 },
  edits: { burst: 10, perSecond: 1 },
};

export function resolveLimits(
  input: FloodLimitsInput | undefined,
  base: FloodLimits = DEFAULT_LIMITS,
): FloodLimits {
  if (input === false) return { ...base, enabled: false };
  return { ...base, ...(input ?? {}) };
}

interface Bucket {
  tokens: number;
  at: number;
}

export type LimitKind = 'send' | 'edit';

export class FloodControl {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    public limits: FloodLimits,
    private readonly now: () => number = Date.now,
  ) {}

  reset(limits?: FloodLimits): void {
    if (limits) this.limits = limits;
    this.buckets.clear();
  }

  /**
   * Takes one token from every bucket that applies, or none of them: returns 0 when the request may go through,
   * otherwise the number of seconds to wait (retry_after, at least 1).
   */
  take(kind: LimitKind, chatId: number): number {
    if (!this.limits.enabled) return 0;
    const applicable: [string, RateLimit][] = [];
    const push = (key: string, limit: RateLimit | null): void => {
      if (limit && limit.burst > 0 && limit.perSecond > 0) applicable.push([key, limit]);
    };
    if (kind === 'edit') push(`edit:${chatId}`, this.limits.edits);
    else push(`chat:${chatId}`, chatId < 0 ? this.limits.groupChat : this.limits.privateChat);
    // Edits take from the bot-wide bucket too. Telegram documents ~30 messages/s per bot and not whether edits are
    // exempt; it does answer edit floods with 429. Counting them is the strict side, the one a bot must survive, and
    // what our send budget assumes (src/telegram/send-budget.ts counts edits): an emulator that let edits through
    // free would hide a progress-edit storm that eats the broadcast's or the reports' share.
    push('global', this.limits.global);
    const now = this.now();
    let wait = 0;
    const refilled = applicable.map(([key, limit]) => {
      const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
      const tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
      if (tokens < 1) wait = Math.max(wait, Math.ceil((1 - tokens) / limit.perSecond));
      return { key, tokens };
    });
    if (wait > 0) return Math.max(1, wait);
    for (const { key, tokens } of refilled) this.buckets.set(key, { tokens: tokens - 1, at: now });
    return 0;
  }
}
