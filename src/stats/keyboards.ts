/** The profile's keyboard: its "ELO chart" button is answered by the predictions slice (/elo). */

import { callbackData, field } from '../bot-kit/callback-data';

/**
 * Callback data of the profile's "ELO chart" button: `elo:<player id>[:<nickname>]` (≤ 64 bytes, Telegram's limit).
 * The nickname is only what the chart's caption shows (any text on the wire: a client can forge it).
 */
export const ELO_CHART_CALLBACK = callbackData('elo', {
  playerId: field.string('[0-9a-fA-F-]{8,40}'),
  nickname: field.optional(field.string('.{1,23}')),
});
/**
 * Without the nickname when it does not fit (too long, or holding the separator); undefined (no button) for a player
 * id that is not FACEIT's usual UUID, which the button could not carry.
 */
export function eloChartCallback(playerId: string, nickname?: string): string | undefined {
  return (
    (nickname ? ELO_CHART_CALLBACK.tryPack({ playerId, nickname }) : undefined) ??
    ELO_CHART_CALLBACK.tryPack({ playerId })
  );
}
