/**
 * New-account and smurf signals, from data already fetched: the account's age (`activated_at` of `/players/{id}`,
 * counted up to the analysis), its CS2 matches (lifetime `Matches`, or the recent window when it came back shorter
 * than asked, i.e. it is the whole history), and K/D, ADR and win rate against the level's
 * norm. Signals, not verdicts: the report states them with their numbers.
 *
 * The level's norm: FACEIT matchmaking pits players against others of their own ELO, so at every level the average
 * player's K/D is ≈ 1.0, ADR ≈ 71 (the recorded 10-player lobby in shared/faceit-api, rating.ts) and win rate ≈ 50 %.
 * A figure is "high" when it is well above that with at least SIGNAL_MIN_MATCHES (5) behind it:
 *   K/D ≥ 1.3, ADR ≥ 90, win rate ≥ 65 %.
 * A new account: younger than NEW_ACCOUNT_DAYS (90) days or fewer than NEW_ACCOUNT_MATCHES (100) CS2 matches.
 * "smurf?" only when a new account AND at least two high figures agree. ELO gained recently is not a signal here:
 * the Data API has no per-match ELO (shared/faceit-api/README.md), so it would be a guess.
 */
import type { PlayerStatsSummary } from './player-stats';
import type { PlayerInput, PlayerSignals } from './types';

export const NEW_ACCOUNT_DAYS = 90;
export const NEW_ACCOUNT_MATCHES = 100;
export const SIGNAL_MIN_MATCHES = 5;
export const HIGH_KD = 1.3;
export const HIGH_ADR = 90;
export const HIGH_WIN_RATE = 0.65;
const DAY_MS = 86_400_000;

export function playerSignals(
  summary: PlayerStatsSummary,
  input: PlayerInput | undefined,
  asOf: number | undefined,
): PlayerSignals {
  const activated = input?.details?.activatedAt ?? null;
  const accountDays =
    activated !== null && asOf !== undefined && asOf >= activated
      ? Math.floor((asOf - activated) / DAY_MS)
      : null;
  const window = input?.recent?.length ?? 0;
  const wholeHistory = input?.recentLimit !== undefined && window < input.recentLimit;
  const matches = summary.lifetime?.matches ?? (wholeHistory ? window : null);
  const newAccount =
    (accountDays !== null && accountDays < NEW_ACCOUNT_DAYS) ||
    (matches !== null && matches < NEW_ACCOUNT_MATCHES);
  const enough = summary.source !== 'none' && summary.matches >= SIGNAL_MIN_MATCHES;
  const at = (x: number | null, min: number): number | null => (enough && x !== null && x >= min ? x : null);
  const high = {
    kd: at(summary.kd, HIGH_KD),
    adr: at(summary.adr, HIGH_ADR),
    winRate: at(summary.winRate, HIGH_WIN_RATE),
  };
  const highCount = Object.values(high).filter((x) => x !== null).length;
  return { accountDays, matches, newAccount, high, smurf: newAccount && highCount >= 2 };
}
