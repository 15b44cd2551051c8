import { t, type Locale } from '../../i18n';
import { bestAndWorstMaps } from '../model/summary';
import type { MapRecord, ProfileData } from '../model/types';
import { flag, html, int, link, mapName, num, pct, profileUrl, results } from '../../bot-kit/format';

function mapLine(locale: Locale, key: string, m: MapRecord | null): string | null {
  if (!m) return null;
  return t(locale, key, {
    map: mapName(m.map),
    wr: pct(locale, m.winRatePercent),
    kd: num(locale, m.kd),
    matches: m.matches,
  });
}

/** /profile: who the player is, lifetime figures, streaks, last five results, best and worst maps. */
export function renderProfile(locale: Locale, data: ProfileData): string {
  const { player, lifetime } = data;
  const lines = [
    t(locale, 'bot-profile-title', {
      nickname: html(player.nickname),
      flag: flag(player.country),
      country: html((player.country ?? '—').toUpperCase()),
      region: html(player.region ?? '—'),
    }),
    t(locale, 'bot-profile-level', { level: int(locale, player.level), elo: int(locale, player.elo) }),
  ];
  if (!lifetime) {
    lines.push(t(locale, 'bot-profile-no-stats'));
  } else {
    lines.push(
      t(locale, 'bot-profile-matches', {
        matches: int(locale, lifetime.matches),
        wins: int(locale, lifetime.wins),
        wr: pct(locale, lifetime.winRatePercent),
      }),
      t(locale, 'bot-profile-figures', {
        kd: num(locale, lifetime.kd),
        hs: pct(locale, lifetime.hsPercent),
        adr: num(locale, lifetime.adr, 1),
      }),
      t(locale, 'bot-profile-streaks', {
        current: int(locale, lifetime.currentWinStreak),
        longest: int(locale, lifetime.longestWinStreak),
      }),
      t(locale, 'bot-profile-recent', { results: results(lifetime.recentResults.slice(0, 5)) }),
    );
    const { best, worst } = bestAndWorstMaps(data.maps ?? []);
    const mapLines = [
      mapLine(locale, 'bot-profile-best-map', best),
      mapLine(locale, 'bot-profile-worst-map', worst),
    ];
    lines.push(...mapLines.filter((l): l is string => l !== null));
  }
  lines.push(link(profileUrl(player.nickname, locale), t(locale, 'bot-profile-link')));
  return lines.join('\n');
}
