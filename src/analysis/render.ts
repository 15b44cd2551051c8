/**
 * Report rendering: Telegram HTML, Russian (default) or English, through the shared Fluent instance.
 * Every untrusted string (nicknames, team names, competition) is escaped here, before it reaches Fluent.
 */
import { DEFAULT_LOCALE, i18n, type Locale } from '../i18n';
import type { TranslationVariables } from '@grammyjs/i18n';
import { perspectiveOf } from './model/analyze';
import { escapeHtml, splitMessage, TELEGRAM_MESSAGE_LIMIT } from '../telegram/html';
import { advantageFor, recommendationFor } from './model/maps';
import { ourAdvice } from './model/veto';
import { mapLabel } from '../faceit/maps';
import type { ProgressLine, ProgressLobby } from './workflow-types';
import type {
  FactionId,
  LobbyAnalysis,
  LobbyRejection,
  PlayerAnalysis,
  TeamAnalysis,
  ThreatLevel,
  VetoMap,
} from './model/types';

export interface RenderOptions {
  /** Default 'ru'. */
  locale?: Locale;
  /** The requester's FACEIT player id: when he is in the lobby his faction is "us", else the report is neutral. */
  perspective?: string | null;
  /** Default 4096. */
  limit?: number;
}

export const THREAT_EMOJI: Readonly<Record<ThreatLevel, string>> = {
  1: '🟢',
  2: '🟡',
  3: '🟠',
  4: '🔴',
  5: '☠️',
};
export const UNKNOWN_THREAT = '❔';
export const PROGRESS_WIDTH = 10;

const NA = '—';

/** A translator that also knows its locale (numbers are written per language too). */
type Tr = ((key: string, vars?: TranslationVariables) => string) & { locale: Locale };
const translator = (locale: Locale): Tr =>
  Object.assign((key: string, vars?: TranslationVariables) => i18n.t(locale, key, vars), { locale });

/** Decimals as the reader writes them: ru "0,87", en "0.87" (like /profile). */
const fixed = (x: number | null, digits: number, locale: Locale = DEFAULT_LOCALE): string =>
  x === null || !Number.isFinite(x)
    ? NA
    : x.toLocaleString(locale === 'ru' ? 'ru-RU' : 'en-GB', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
        useGrouping: false,
      });
const pct = (x: number | null): string => (x === null ? NA : String(Math.round(x * 100)));
const int = (x: number | null): string => (x === null ? NA : String(Math.round(x)));
const signed = (x: number): string => (x > 0 ? `+${x}` : x < 0 ? `−${-x}` : '±0');

const threatMark = (p: PlayerAnalysis): string => (p.threat ? THREAT_EMOJI[p.threat.level] : UNKNOWN_THREAT);

/** "▓▓▓▓▓░░░░░" for done/total. */
export function progressBar(done: number, total: number, width: number = PROGRESS_WIDTH): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(ratio * width);
  return '▓'.repeat(filled) + '░'.repeat(width - filled);
}

/** One progress line, e.g. "⏳ Collecting player stats… ▓▓▓▓▓░░░░░ 5/10". */
export function renderProgress(done: number, total: number, locale: Locale = DEFAULT_LOCALE): string {
  const d = Math.max(0, Math.min(Math.floor(done), Math.max(0, Math.floor(total))));
  const tot = Math.max(0, Math.floor(total));
  return translator(locale)('analysis-progress', {
    bar: progressBar(d, tot),
    done: String(d),
    total: String(tot),
  });
}

/** The reason a match is refused, in the user's language. */
export function renderRejection(reason: LobbyRejection, locale: Locale = DEFAULT_LOCALE): string {
  return translator(locale)(`analysis-rejected-${reason}`);
}

function headerSection(a: LobbyAnalysis, us: FactionId | null, tr: Tr): string {
  const name = (f: FactionId): string => escapeHtml(a.teams[f].name);
  const lines = [tr('analysis-title')];
  const meta = [a.competitionName, a.region].filter((x): x is string => !!x).map(escapeHtml);
  if (meta.length > 0) lines.push(tr('analysis-competition', { competition: meta.join(' · ') }));
  lines.push(
    a.pickedMap
      ? tr('analysis-map-picked', { map: escapeHtml(mapLabel(a.pickedMap)) })
      : tr('analysis-map-not-picked'),
  );
  lines.push(tr('analysis-versus', { team1: name('faction1'), team2: name('faction2') }));
  if (us) lines.push(tr('analysis-you-play-for', { team: name(us) }));
  // Ours when stored (analyses from before the model show the ELO baseline); ELO alone beside it when they differ.
  const chance = a.modelWinProbability ?? a.winProbability;
  const eloNote = (side: FactionId | null): void => {
    const elo = a.winProbability;
    if (!elo || !a.modelWinProbability) return;
    if (pct(elo.faction1) === pct(a.modelWinProbability.faction1)) return;
    lines.push(
      side
        ? tr('predictions-elo-alone', { p: pct(elo[side]) })
        : tr('predictions-elo-alone-neutral', { p1: pct(elo.faction1), p2: pct(elo.faction2) }),
    );
  };
  if (!chance || !a.eloAtStake) {
    lines.push(tr('analysis-win-chance-unknown'));
  } else if (us) {
    lines.push(tr('analysis-win-chance-us', { p: pct(chance[us]) }));
    eloNote(us);
    const s = a.eloAtStake[us];
    lines.push(tr('analysis-stake-us', { gain: String(s.gain), loss: String(s.loss) }));
  } else {
    lines.push(
      tr('analysis-win-chance-neutral', {
        team1: name('faction1'),
        team2: name('faction2'),
        p1: pct(chance.faction1),
        p2: pct(chance.faction2),
      }),
    );
    eloNote(null);
    const s1 = a.eloAtStake.faction1;
    const s2 = a.eloAtStake.faction2;
    lines.push(
      tr('analysis-stake-neutral', {
        team1: name('faction1'),
        team2: name('faction2'),
        gain1: String(s1.gain),
        loss1: String(s1.loss),
        gain2: String(s2.gain),
        loss2: String(s2.loss),
      }),
    );
  }
  return lines.join('\n');
}

function formString(p: PlayerAnalysis, tr: Tr): string {
  if (p.form.length === 0) return '';
  const w = tr('analysis-form-win');
  const l = tr('analysis-form-loss');
  return p.form.map((r) => (r === 'W' ? w : l)).join('');
}

function playerLines(p: PlayerAnalysis, requester: string | null, tr: Tr): string {
  const head = tr('analysis-player-head', {
    threat: threatMark(p),
    nick: escapeHtml(p.nickname),
    you: p.playerId === requester ? tr('analysis-player-you') : '',
    level: p.level !== null ? tr('analysis-player-level', { level: int(p.level) }) : '',
    elo: p.elo !== null ? tr('analysis-player-elo', { elo: int(p.elo) }) : '',
  });
  if (p.flags.noData) return `${head}\n    ${tr('analysis-player-no-data')}`;
  const stats = tr('analysis-player-stats', {
    kd: fixed(p.kd, 2, tr.locale),
    adr: fixed(p.adr, 0, tr.locale),
    hs: int(p.hsPercent),
    rating: fixed(p.rating, 2, tr.locale),
    wr: pct(p.winRate),
  });
  const extra: string[] = [];
  if (p.role) extra.push(tr(`analysis-role-${p.role}`));
  const form = formString(p, tr);
  if (form) extra.push(form);
  const matches = tr('analysis-player-matches', { n: p.matches });
  extra.push(p.source === 'lifetime' ? `${matches} ${tr('analysis-player-source-lifetime')}` : matches);
  if (p.flags.smallSample) extra.push(tr('analysis-flag-small-sample'));
  // Analyses stored before signals existed keep their old flag; newer ones say the signals with their numbers.
  if (!p.signals && p.flags.possibleSmurf) extra.push(tr('analysis-flag-smurf'));
  const signal = signalLine(p, tr);
  return `${head}\n    ${stats}\n    ${extra.join(' · ')}${signal ? `\n    ${signal}` : ''}`;
}

/** "🆕 new account: 25 days, 41 matches, K/D 1.60 at level 9" (or "🕵️ smurf? …" where several signals agree). */
export function signalLine(p: PlayerAnalysis, tr: Tr): string | null {
  const s = p.signals;
  if (!s || !s.newAccount) return null;
  const facts: string[] = [];
  if (s.accountDays !== null) facts.push(tr('analysis-signal-days', { n: s.accountDays }));
  if (s.matches !== null) facts.push(tr('analysis-player-matches', { n: s.matches }));
  if (p.kd !== null) facts.push(tr('analysis-signal-kd', { kd: fixed(p.kd, 2, tr.locale) }));
  if (s.high.adr !== null) facts.push(tr('analysis-signal-adr', { adr: fixed(s.high.adr, 0, tr.locale) }));
  if (s.high.winRate !== null) facts.push(tr('analysis-signal-wr', { wr: pct(s.high.winRate) }));
  const level = p.level !== null ? tr('analysis-signal-level', { level: int(p.level) }) : '';
  return tr(s.smurf ? 'analysis-signal-smurf' : 'analysis-signal-new', { facts: facts.join(', '), level });
}

/** "👥 party of 3: a, b, c (7 shared recent matches, 5 won)", one line per likely party of the team. */
function partyLines(team: TeamAnalysis, tr: Tr): string[] {
  const nick = new Map(team.players.map((p) => [p.playerId, p.nickname]));
  return (team.parties ?? []).map((party) =>
    tr('analysis-party', {
      n: party.members.length,
      members: party.members.map((id) => escapeHtml(nick.get(id) ?? id)).join(', '),
      shared: party.sharedMatches,
      won: party.wonMatches === undefined ? '' : tr('analysis-party-won', { won: party.wonMatches }),
    }),
  );
}

function teamSection(
  team: TeamAnalysis,
  us: FactionId | null,
  requester: string | null,
  tr: Tr,
  expandable = false,
): string {
  const name = escapeHtml(team.name);
  const title =
    us === null
      ? tr('analysis-team-neutral', { name })
      : tr(team.faction === us ? 'analysis-team-us' : 'analysis-team-them', { name });
  const lines = [title];
  const summary = tr('analysis-team-summary', {
    elo: int(team.avgElo),
    level: fixed(team.avgLevel, 1, tr.locale),
  });
  const missing = team.players.length - team.playersWithData;
  lines.push(missing > 0 ? `${summary} · ${tr('analysis-team-no-data', { n: missing })}` : summary);
  lines.push(...partyLines(team, tr));
  const players = team.players.map((p) => playerLines(p, requester, tr));
  // Under the card the per-player details fold away: the picture already shows who is who.
  if (expandable) lines.push(`<blockquote expandable>${players.join('\n')}</blockquote>`);
  else lines.push(...players);
  return lines.join('\n');
}

function dangerLine(p: PlayerAnalysis, tr: Tr): string {
  return tr('analysis-danger-line', {
    threat: threatMark(p),
    nick: escapeHtml(p.nickname),
    rating: fixed(p.rating, 2, tr.locale),
    kd: fixed(p.kd, 2, tr.locale),
    wr: pct(p.winRate),
  });
}

function playersById(a: LobbyAnalysis, f: FactionId, ids: readonly string[]): PlayerAnalysis[] {
  return ids
    .map((id) => a.teams[f].players.find((p) => p.playerId === id))
    .filter((p): p is PlayerAnalysis => p !== undefined);
}

function dangerSection(a: LobbyAnalysis, them: FactionId | null, tr: Tr): string {
  const lines: string[] = [];
  if (them) {
    const dangerous = playersById(a, them, a.dangerous[them]);
    const weakest = playersById(a, them, a.weakest[them]);
    lines.push(tr('analysis-dangerous-title'));
    lines.push(
      ...(dangerous.length > 0 ? dangerous.map((p) => dangerLine(p, tr)) : [tr('analysis-danger-none')]),
    );
    lines.push(tr('analysis-weakest-title'));
    lines.push(
      ...(weakest.length > 0 ? weakest.map((p) => dangerLine(p, tr)) : [tr('analysis-danger-none')]),
    );
    return lines.join('\n');
  }
  const short = (p: PlayerAnalysis): string => `${threatMark(p)} ${escapeHtml(p.nickname)}`;
  const teamLine = (f: FactionId, ids: readonly string[]): string => {
    const ps = playersById(a, f, ids);
    return tr('analysis-danger-team', {
      team: escapeHtml(a.teams[f].name),
      players: ps.length > 0 ? ps.map(short).join(', ') : tr('analysis-danger-none'),
    });
  };
  lines.push(tr('analysis-dangerous-title'));
  lines.push(teamLine('faction1', a.dangerous.faction1), teamLine('faction2', a.dangerous.faction2));
  lines.push(tr('analysis-weakest-title'));
  lines.push(teamLine('faction1', a.weakest.faction1), teamLine('faction2', a.weakest.faction2));
  return lines.join('\n');
}

/** Signed, one decimal, in the reader's notation: "+6.2", "−3.0", "±0.0". */
const signedFixed = (x: number, locale: Locale): string => {
  const v = Math.round(x * 10) / 10;
  const body = fixed(Math.abs(v), 1, locale);
  return v > 0 ? `+${body}` : v < 0 ? `−${body}` : body;
};

/** Up to one decimal, none when whole: "8", "2.4" (ru "2,4"). */
const upTo1 = (x: number, locale: Locale): string =>
  (Math.round(x * 10) / 10).toLocaleString(locale === 'ru' ? 'ru-RU' : 'en-GB', {
    maximumFractionDigits: 1,
    useGrouping: false,
  });

/** The map table of analyses with edges: "📍 Nuke +6.2 ± 4.8 pp — ✅ likely edge for us · 12 / 9 matches per player". */
function edgeMapsSection(a: LobbyAnalysis, us: FactionId | null, tr: Tr): string {
  const them: FactionId | null = us === null ? null : us === 'faction1' ? 'faction2' : 'faction1';
  const lines = [
    `${tr('analysis-maps-title')} <i>(${
      us
        ? tr('analysis-edge-hint-us')
        : tr('analysis-edge-hint-neutral', { team: escapeHtml(a.teams.faction1.name) })
    })</i>`,
  ];
  for (const m of a.maps) {
    const e = m.edge;
    if (!e) continue;
    const mark = m.picked ? '📍' : '▫️';
    const map = escapeHtml(mapLabel(m.map)) + (m.picked ? tr('analysis-map-picked-suffix') : '');
    const side = us ?? 'faction1';
    const points = side === 'faction1' ? e.points : -e.points;
    const edge = tr('analysis-edge-value', {
      points: signedFixed(points, tr.locale),
      margin: fixed(e.margin, 1, tr.locale),
    });
    let verdict: string;
    if (e.likely === null) verdict = tr('analysis-edge-unclear');
    else if (us) verdict = tr(e.likely === us ? 'analysis-edge-ours' : 'analysis-edge-theirs');
    else verdict = tr('analysis-edge-team', { team: escapeHtml(a.teams[e.likely].name) });
    const per = (f: FactionId) => upTo1(m.teams[f].matchesPerPlayer ?? 0, tr.locale);
    const evidence = tr('analysis-edge-evidence', {
      first: per(side),
      second: per(them ?? 'faction2'),
    });
    lines.push(tr('analysis-edge-line', { mark, map, edge, verdict, evidence }));
  }
  lines.push(...mapsAgeLine(a, tr));
  lines.push(...vetoLines(a, us, tr));
  return lines.join('\n');
}

/** "Nuke (0.4 matches per player)" / "Ancient (38% won)" / "Mirage (12 matches per player, 58% won)". */
function vetoMap(v: VetoMap, tr: Tr): string {
  const map = escapeHtml(mapLabel(v.map));
  const per = upTo1(v.matchesPerPlayer, tr.locale);
  const wr = pct(v.winRate);
  if (v.reason === 'avoided') return tr('analysis-veto-avoided', { map, per });
  if (v.reason === 'lost') return tr('analysis-veto-lost', { map, wr });
  return tr('analysis-veto-played', { map, per, wr });
}

/** While the map is not picked: what each side will likely ban (and pick in a BO3), and our advice. */
function vetoLines(a: LobbyAnalysis, us: FactionId | null, tr: Tr): string[] {
  if (a.pickedMap || !a.veto) return [];
  const lines: string[] = [];
  const list = (vs: readonly VetoMap[]) => vs.map((v) => vetoMap(v, tr)).join(', ');
  const sides: FactionId[] = us ? [us === 'faction1' ? 'faction2' : 'faction1'] : ['faction1', 'faction2'];
  for (const f of sides) {
    const v = a.veto[f];
    const team = escapeHtml(a.teams[f].name);
    if (v.bans.length > 0)
      lines.push(tr(us ? 'analysis-veto-they-ban' : 'analysis-veto-team-bans', { team, maps: list(v.bans) }));
    if (v.picks.length > 0)
      lines.push(
        tr(us ? 'analysis-veto-they-pick' : 'analysis-veto-team-picks', { team, maps: list(v.picks) }),
      );
  }
  if (us) {
    const advice = ourAdvice(a.maps, a.veto[us], us, a.bestOf ?? null);
    const names = (ms: readonly string[]) => ms.map((m) => escapeHtml(mapLabel(m))).join(', ');
    const bans = advice.bans.length > 0 ? tr('analysis-veto-our-bans', { maps: names(advice.bans) }) : '';
    const picks =
      advice.picks.length > 0
        ? tr('analysis-veto-our-picks', { maps: names(advice.picks) })
        : tr('analysis-veto-no-pick');
    lines.push(tr('analysis-veto-advice', { advice: [bans, picks].filter((x) => x).join(' · ') }));
  }
  return lines;
}

function mapsSection(a: LobbyAnalysis, us: FactionId | null, tr: Tr): string {
  if (a.maps.length > 0 && a.maps.every((m) => m.edge)) return edgeMapsSection(a, us, tr);
  const lines = [
    `${tr('analysis-maps-title')} <i>(${tr(us ? 'analysis-maps-hint-us' : 'analysis-maps-hint-neutral')})</i>`,
  ];
  if (a.maps.length === 0) {
    lines.push(tr('analysis-maps-none'));
    return lines.join('\n');
  }
  for (const m of a.maps) {
    const mark = m.picked ? '📍' : '▫️';
    const map = escapeHtml(mapLabel(m.map)) + (m.picked ? tr('analysis-map-picked-suffix') : '');
    const confidence = tr(`analysis-confidence-${m.confidence}`);
    if (us) {
      const verdict = tr(`analysis-verdict-${recommendationFor(m, us)}`);
      const advantage = signed(Math.round(advantageFor(m, us) * 100));
      lines.push(tr('analysis-map-line-us', { mark, map, advantage, verdict, confidence }));
    } else {
      const verdict = m.favoured
        ? tr('analysis-verdict-favours', { team: escapeHtml(a.teams[m.favoured].name) })
        : tr('analysis-verdict-neutral');
      lines.push(
        tr('analysis-map-line-neutral', {
          mark,
          map,
          score1: String(Math.round(m.teams.faction1.score * 100)),
          score2: String(Math.round(m.teams.faction2.score * 100)),
          verdict,
          confidence,
        }),
      );
    }
  }
  lines.push(...mapsAgeLine(a, tr));
  return lines.join('\n');
}

const HOUR_MS = 3_600_000;

/**
 * "⏳ per-map records updated 5 h ago" when the lifetime stats behind the map table are an hour old or more (they may
 * come from the cache for days: src/faceit/cache-policy.ts); hours below two days, then days.
 */
function mapsAgeLine(a: LobbyAnalysis, tr: Tr): string[] {
  const age = a.mapRecordsAgeMs;
  if (age === undefined || age === null || age < HOUR_MS) return [];
  const hours = Math.floor(age / HOUR_MS);
  return [
    hours < 48
      ? tr('analysis-maps-age', { unit: 'hours', n: hours })
      : tr('analysis-maps-age', { unit: 'days', n: Math.floor(hours / 24) }),
  ];
}

/**
 * The report's sections from the requester's side: the header apart, and the body (our team, their team — as
 * expandable blockquotes when `expandTeams` —, dangerous/weakest, maps, legend); with the translator they use.
 */
function reportParts(
  analysis: LobbyAnalysis,
  options: RenderOptions,
  expandTeams: boolean,
): { tr: Tr; header: string; body: string[] } {
  const tr = translator(options.locale ?? DEFAULT_LOCALE);
  const side = perspectiveOf(analysis, options.perspective);
  const us = side?.us ?? null;
  const them = side?.them ?? null;
  const requester = side ? (options.perspective ?? null) : null;
  const order: FactionId[] = us === 'faction2' ? ['faction2', 'faction1'] : ['faction1', 'faction2'];
  return {
    tr,
    header: headerSection(analysis, us, tr),
    body: [
      ...order.map((f) => teamSection(analysis.teams[f], us, requester, tr, expandTeams)),
      dangerSection(analysis, them, tr),
      mapsSection(analysis, us, tr),
      `<i>${tr('analysis-legend')}</i>`,
    ],
  };
}

/** The report as sections (header, our team, their team, dangerous/weakest, maps, legend), before splitting. */
export function renderSections(analysis: LobbyAnalysis, options: RenderOptions = {}): string[] {
  const { header, body } = reportParts(analysis, options, false);
  return [header, ...body];
}

/** Telegram's limit of a photo's caption (after entity parsing; measured here on the HTML source, never shorter). */
export const TELEGRAM_CAPTION_LIMIT = 1024;

/**
 * The report that follows the lobby card: the caption under the picture (the header: teams, win chance beside
 * "ELO alone", ELO at stake) and the text details, each ≤ 4096 characters, with every team's per-player lines in
 * an expandable blockquote. A header too long for a caption (long team or competition names) goes to the text and
 * the caption keeps the title only.
 */
export function renderCardReport(
  analysis: LobbyAnalysis,
  options: RenderOptions = {},
): { caption: string; texts: string[] } {
  const { tr, header, body } = reportParts(analysis, options, true);
  const fits = header.length <= TELEGRAM_CAPTION_LIMIT;
  const sections = [...(fits ? [] : [header]), tr('analysis-card-details'), ...body];
  return {
    caption: fits ? header : tr('analysis-title'),
    texts: splitMessage(sections, options.limit ?? TELEGRAM_MESSAGE_LIMIT),
  };
}

/** The report as Telegram HTML messages, each ≤ 4096 characters, split at section boundaries. */
export function renderReport(analysis: LobbyAnalysis, options: RenderOptions = {}): string[] {
  return splitMessage(renderSections(analysis, options), options.limit ?? TELEGRAM_MESSAGE_LIMIT);
}

/** Room kept in a framed report's first message for a footer added later (a brief's result line). */
export const FRAME_FOOTER_ROOM = 400;

/**
 * The report framed for a pre-match brief: `header` before the first section and, once the match is over,
 * `footer` after the first message. Space for a footer is always kept, so the edit that adds it never re-splits
 * the report.
 */
export function renderFramedReport(
  analysis: LobbyAnalysis,
  options: RenderOptions & { header: string; footer?: string },
): string[] {
  const limit = options.limit ?? TELEGRAM_MESSAGE_LIMIT;
  const footer = options.footer ? options.footer.slice(0, FRAME_FOOTER_ROOM - 2) : '';
  const texts = renderReport(analysis, {
    ...options,
    limit: limit - options.header.length - 2 - FRAME_FOOTER_ROOM,
  });
  texts[0] = [options.header, texts[0], footer].filter((x) => x !== '').join('\n\n');
  return texts;
}

/**
 * The progressive report under the bar: both rosters with levels and the map as soon as the match is in, each
 * player's line (ELO, K/D, ADR) filled in as their stats arrive.
 */
export function renderProgressLobby(
  lobby: ProgressLobby,
  lines: Readonly<Record<string, ProgressLine>>,
  locale: Locale = DEFAULT_LOCALE,
): string {
  const tr = translator(locale);
  const out = [
    lobby.map
      ? tr('analysis-progress-map', { map: escapeHtml(mapLabel(lobby.map)) })
      : tr('analysis-progress-map-open'),
  ];
  lobby.teams.forEach((team, i) => {
    out.push(tr('analysis-progress-team', { mark: i === 0 ? '🟦' : '🟥', team: escapeHtml(team.name) }));
    for (const p of team.players) {
      const line = lines[p.playerId];
      const levelOf = line?.level ?? p.level;
      const vars = {
        nick: escapeHtml(p.nickname),
        level: levelOf !== null ? tr('analysis-progress-level', { level: String(levelOf) }) : '',
      };
      if (!line) out.push(tr('analysis-progress-waiting', vars));
      else if (line.noData) out.push(tr('analysis-progress-no-data', vars));
      else
        out.push(
          tr('analysis-progress-line', {
            ...vars,
            elo: line.elo === null ? NA : String(Math.round(line.elo)),
            kd: fixed(line.kd, 2, locale),
            adr: fixed(line.adr, 1, locale),
          }),
        );
    }
  });
  return out.join('\n');
}
