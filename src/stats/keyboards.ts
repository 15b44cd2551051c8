/** The profile's keyboard: its "ELO chart" button is answered by the predictions slice (/elo). */

/** Callback data of the profile's "ELO chart" button: `elo:<player id>[:<nickname>]` (≤ 64 bytes, Telegram's limit). */
export const ELO_CHART_CALLBACK = /^elo:([0-9a-f-]{8,40})(?::(.{1,23}))?$/i;
export function eloChartCallback(playerId: string, nickname?: string): string {
  const data = `elo:${playerId}`;
  const withNick = nickname ? `${data}:${nickname}` : data;
  return Buffer.byteLength(withNick) <= 64 ? withNick : data;
}
