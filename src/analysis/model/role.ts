/**
 * Role from FACEIT's extended figures, checked in this order (first match wins):
 *
 * - AWPer:   sniper kill rate ≥ 0.15. FACEIT's `Sniper Kill Rate` is the sniper share of kills (riflers sit at
 *            0–0.03, part-time AWPers ≈ 0.08, main AWPers 0.25+). 0.15 also holds if the figure were per round
 *            (a main AWPer with 0.72 KPR and a 25 % share makes 0.18 sniper kills per round).
 * - Entry:   entry rate ≥ 0.24 opening duels per round. Each round has one opening duel between two of the ten
 *            players, so the population average is 0.20; 0.24 is 20 % above it.
 * - Support: utility damage per round ≥ 6 (average ≈ 3–5) or enemies flashed per round ≥ 0.45 (average ≈ 0.25–0.35).
 * - Rifler:  otherwise.
 *
 * Null when no extended figure is known at all: "rifler" would be a guess, not a finding.
 */
import type { ExtendedFigures } from './player-stats';
import type { Role } from './types';

export const AWPER_SNIPER_KILL_RATE = 0.15;
export const ENTRY_RATE = 0.24;
export const SUPPORT_UTILITY_DAMAGE_PER_ROUND = 6;
export const SUPPORT_ENEMIES_FLASHED_PER_ROUND = 0.45;

export function detectRole(x: ExtendedFigures): Role | null {
  const known = Object.values(x).some((v) => v !== null);
  if (!known) return null;
  if (x.sniperKillRate !== null && x.sniperKillRate >= AWPER_SNIPER_KILL_RATE) return 'awper';
  if (x.entryRate !== null && x.entryRate >= ENTRY_RATE) return 'entry';
  if (
    (x.utilityDamagePerRound !== null && x.utilityDamagePerRound >= SUPPORT_UTILITY_DAMAGE_PER_ROUND) ||
    (x.enemiesFlashedPerRound !== null && x.enemiesFlashedPerRound >= SUPPORT_ENEMIES_FLASHED_PER_ROUND)
  ) {
    return 'support';
  }
  return 'rifler';
}
