/**
 * The lobby card: the report's first message, a picture of both teams (level, ELO, threat, role, party brackets,
 * new-account / smurf marks), the win chance next to "ELO alone", and the map table. Drawn with the shared chart
 * pipeline (src/charts: ECharts graphic elements → SVG → resvg, DejaVu Sans from npm), so Latin and Cyrillic
 * render the same everywhere. DejaVu has no emoji: marks are shapes and words. Pure: the same analysis and options
 * always give the same SVG.
 */
import { renderChart, type ChartImage, type EChartsOption } from '../charts';
import { DEFAULT_LOCALE, i18n, type Locale } from '../i18n';
import { mapLabel } from '../faceit/maps';
import { perspectiveOf } from './model/analyze';
import type { FactionId, LobbyAnalysis, MapAnalysis, PlayerAnalysis, TeamAnalysis } from './model/types';

export interface CardOptions {
  locale?: Locale;
  /** The requester's FACEIT player id: his team is drawn first and marked, as in the text report. */
  perspective?: string | null;
}

const WIDTH = 1200;
const PAD = 24;
const ROW = 44;
const MAP_ROW = 34;
const FONT = 'DejaVu Sans';

const TEAM_COLOR: Record<'first' | 'second', string> = { first: '#2f6fde', second: '#d64541' };
const THREAT_COLOR: Record<number, string> = {
  1: '#3aa655',
  2: '#c9b400',
  3: '#f08c00',
  4: '#e03131',
  5: '#5f1f8f',
};
/** FACEIT's level colours, roughly: grey, green, yellow, orange, red. */
function levelColor(level: number): string {
  if (level <= 1) return '#b0b0b0';
  if (level <= 3) return '#2fb84f';
  if (level <= 7) return '#e6b400';
  if (level <= 9) return '#ff6c20';
  return '#e80128';
}
const PARTY_COLORS = ['#7048e8', '#0c8599', '#c2255c', '#5c940d'];

type Element = Record<string, unknown>;
type Tr = (key: string, vars?: Record<string, string | number>) => string;

const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
const pct = (x: number): string => `${Math.round(x * 100)}%`;

function num(x: number | null, digits: number, locale: Locale): string {
  if (x === null || !Number.isFinite(x)) return '—';
  return x.toLocaleString(locale === 'ru' ? 'ru-RU' : 'en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  });
}

function text(
  x: number,
  y: number,
  value: string,
  style: { size?: number; bold?: boolean; color?: string; align?: 'left' | 'center' | 'right' } = {},
): Element {
  return {
    type: 'text',
    x,
    y,
    silent: true,
    style: {
      text: value,
      fill: style.color ?? '#222222',
      fontSize: style.size ?? 18,
      fontWeight: style.bold ? 'bold' : 'normal',
      fontFamily: FONT,
      align: style.align ?? 'left',
      verticalAlign: 'middle',
    },
  };
}

const rect = (x: number, y: number, w: number, h: number, fill: string, r = 0): Element => ({
  type: 'rect',
  silent: true,
  shape: { x, y, width: w, height: h, r },
  style: { fill },
});

const line = (x1: number, y1: number, x2: number, y2: number, stroke: string, width = 2): Element => ({
  type: 'line',
  silent: true,
  shape: { x1, y1, x2, y2 },
  style: { stroke, lineWidth: width },
});

/** A word on a coloured pill; returns its width so marks can be laid side by side. */
function badge(x: number, y: number, word: string, fill: string, out: Element[]): number {
  const w = Math.round(word.length * 9.5 + 16);
  out.push(rect(x, y - 12, w, 24, fill, 12));
  out.push(text(x + w / 2, y, word, { size: 14, bold: true, color: '#ffffff', align: 'center' }));
  return w;
}

/**
 * Players in display order: the team's order (most dangerous first), except that a likely party's members stand
 * together where its first member stands, so one bracket can join them.
 */
export function cardOrder(team: TeamAnalysis): { player: PlayerAnalysis; party: number | null }[] {
  const partyOf = new Map<string, number>();
  (team.parties ?? []).forEach((p, i) => p.members.forEach((id) => partyOf.set(id, i)));
  const out: { player: PlayerAnalysis; party: number | null }[] = [];
  const placed = new Set<string>();
  for (const p of team.players) {
    if (placed.has(p.playerId)) continue;
    const party = partyOf.get(p.playerId);
    if (party === undefined) {
      out.push({ player: p, party: null });
      placed.add(p.playerId);
      continue;
    }
    for (const q of team.players) {
      if (partyOf.get(q.playerId) === party && !placed.has(q.playerId)) {
        out.push({ player: q, party });
        placed.add(q.playerId);
      }
    }
  }
  return out;
}

function marks(p: PlayerAnalysis, tr: Tr): { word: string; fill: string }[] {
  if (p.flags.noData) return [{ word: tr('analysis-card-no-data'), fill: '#8a8a8a' }];
  const out: { word: string; fill: string }[] = [];
  if (p.signals?.smurf || (!p.signals && p.flags.possibleSmurf))
    out.push({ word: tr('analysis-card-smurf'), fill: '#c92a2a' });
  else if (p.signals?.newAccount) out.push({ word: tr('analysis-card-new'), fill: '#1c7ed6' });
  return out;
}

function teamBlock(
  team: TeamAnalysis,
  x: number,
  y: number,
  width: number,
  color: string,
  mine: boolean,
  requester: string | null,
  tr: Tr,
  locale: Locale,
): Element[] {
  const out: Element[] = [];
  out.push(rect(x, y, width, 6, color));
  out.push(text(x + 8, y + 30, clip(team.name, 28), { size: 22, bold: true, color }));
  if (mine)
    out.push(text(x + width - 8, y + 30, tr('analysis-card-us'), { size: 15, color, align: 'right' }));
  out.push(
    text(
      x + 8,
      y + 58,
      tr('analysis-card-team-summary', {
        elo: team.avgElo === null ? '—' : String(Math.round(team.avgElo)),
        level: num(team.avgLevel, 1, locale),
      }),
      { size: 15, color: '#555555' },
    ),
  );
  const col = { level: x + 40, nick: x + 74, elo: x + 292, role: x + 306, threat: x + 418, marks: x + 444 };
  const headY = y + 88;
  const head = { size: 13, color: '#888888' };
  out.push(text(col.level, headY, tr('analysis-card-col-level'), { ...head, align: 'center' }));
  out.push(text(col.nick, headY, tr('analysis-card-col-player'), head));
  out.push(text(col.elo, headY, 'ELO', { ...head, align: 'right' }));
  out.push(text(col.role, headY, tr('analysis-card-col-role'), head));
  out.push(text(col.threat, headY, tr('analysis-card-col-threat'), { ...head, align: 'center' }));
  const rows = cardOrder(team);
  const top = y + 104;
  rows.forEach(({ player: p }, i) => {
    const cy = top + i * ROW + ROW / 2;
    if (i % 2 === 0) out.push(rect(x + 24, top + i * ROW, width - 24, ROW, '#f4f6f9'));
    if (p.level !== null) {
      out.push({
        type: 'circle',
        silent: true,
        shape: { cx: col.level, cy, r: 15 },
        style: { fill: levelColor(p.level) },
      });
      out.push(
        text(col.level, cy, String(Math.round(p.level)), {
          size: 15,
          bold: true,
          color: '#ffffff',
          align: 'center',
        }),
      );
    } else out.push(text(col.level, cy, '—', { align: 'center', color: '#888888' }));
    const you = p.playerId === requester;
    out.push(text(col.nick, cy, clip(p.nickname, 16), { bold: true, color: you ? color : '#222222' }));
    out.push(text(col.elo, cy, p.elo === null ? '—' : String(Math.round(p.elo)), { align: 'right' }));
    out.push(
      text(col.role, cy, p.role ? tr(`analysis-card-role-${p.role}`) : '', { size: 15, color: '#555555' }),
    );
    if (p.threat) {
      out.push(rect(col.threat - 14, cy - 14, 28, 28, THREAT_COLOR[p.threat.level], 6));
      out.push(
        text(col.threat, cy, String(p.threat.level), { bold: true, color: '#ffffff', align: 'center' }),
      );
    } else out.push(text(col.threat, cy, '?', { align: 'center', color: '#888888' }));
    let mx = col.marks;
    for (const m of marks(p, tr)) mx += badge(mx, cy, m.word, m.fill, out) + 6;
  });
  // A bracket per likely party, joining its members' rows at the left edge.
  const spans = new Map<number, { first: number; last: number }>();
  rows.forEach((r, i) => {
    if (r.party === null) return;
    const s = spans.get(r.party);
    spans.set(r.party, s ? { first: s.first, last: i } : { first: i, last: i });
  });
  for (const [party, s] of spans) {
    const stroke = PARTY_COLORS[party % PARTY_COLORS.length];
    const y1 = top + s.first * ROW + 8;
    const y2 = top + s.last * ROW + ROW - 8;
    const bx = x + 10;
    out.push(
      line(bx, y1, bx, y2, stroke, 3),
      line(bx, y1, bx + 10, y1, stroke, 3),
      line(bx, y2, bx + 10, y2, stroke, 3),
    );
  }
  return out;
}

function mapVerdict(
  m: MapAnalysis,
  a: LobbyAnalysis,
  us: FactionId | null,
  tr: Tr,
): { word: string; color: string } {
  const side = (f: FactionId | null): { word: string; color: string } => {
    if (f === null) return { word: tr('analysis-card-unclear'), color: '#888888' };
    const first = us ?? 'faction1';
    const color = f === first ? TEAM_COLOR.first : TEAM_COLOR.second;
    if (us) return { word: tr(f === us ? 'analysis-card-edge-us' : 'analysis-card-edge-them'), color };
    return { word: clip(a.teams[f].name, 22), color };
  };
  return m.edge ? side(m.edge.likely) : side(m.favoured);
}

function mapsBlock(a: LobbyAnalysis, us: FactionId | null, y: number, tr: Tr, locale: Locale): Element[] {
  const out: Element[] = [text(PAD, y + 16, tr('analysis-card-maps'), { size: 22, bold: true })];
  if (a.maps.length === 0) {
    out.push(text(PAD, y + 52, tr('analysis-card-maps-none'), { size: 16, color: '#888888' }));
    return out;
  }
  const first: FactionId = us ?? 'faction1';
  const second: FactionId = first === 'faction1' ? 'faction2' : 'faction1';
  const col = { map: PAD + 12, edge: PAD + 420, verdict: PAD + 470, evidence: WIDTH - PAD - 12 };
  const headY = y + 46;
  const head = { size: 13, color: '#888888' };
  const edges = a.maps.every((m) => m.edge);
  out.push(text(col.map, headY, tr('analysis-card-col-map'), head));
  out.push(
    text(col.edge, headY, tr(edges ? 'analysis-card-col-edge' : 'analysis-card-col-score'), {
      ...head,
      align: 'right',
    }),
  );
  out.push(text(col.verdict, headY, tr('analysis-card-col-verdict'), head));
  out.push(text(col.evidence, headY, tr('analysis-card-col-evidence'), { ...head, align: 'right' }));
  const top = y + 60;
  a.maps.forEach((m, i) => {
    const cy = top + i * MAP_ROW + MAP_ROW / 2;
    if (m.picked) out.push(rect(PAD, top + i * MAP_ROW, WIDTH - 2 * PAD, MAP_ROW, '#fff3bf'));
    else if (i % 2 === 0) out.push(rect(PAD, top + i * MAP_ROW, WIDTH - 2 * PAD, MAP_ROW, '#f4f6f9'));
    const name = mapLabel(m.map) + (m.picked ? ` (${tr('analysis-card-picked')})` : '');
    out.push(text(col.map, cy, name, { bold: m.picked }));
    let value: string;
    if (m.edge) {
      const points = first === 'faction1' ? m.edge.points : -m.edge.points;
      const v = Math.round(points * 10) / 10;
      const sign = v > 0 ? '+' : v < 0 ? '−' : '';
      value = `${sign}${num(Math.abs(v), 1, locale)} ± ${num(m.edge.margin, 1, locale)}`;
    } else {
      value = `${Math.round(m.teams[first].score * 100)} : ${Math.round(m.teams[second].score * 100)}`;
    }
    out.push(text(col.edge, cy, value, { align: 'right' }));
    const verdict = mapVerdict(m, a, us, tr);
    out.push(
      text(col.verdict, cy, verdict.word, { bold: verdict.color !== '#888888', color: verdict.color }),
    );
    const per = (f: FactionId) => num(Math.round((m.teams[f].matchesPerPlayer ?? 0) * 10) / 10, 1, locale);
    out.push(text(col.evidence, cy, `${per(first)} / ${per(second)}`, { align: 'right', color: '#555555' }));
  });
  return out;
}

function headerBlock(a: LobbyAnalysis, order: FactionId[], us: FactionId | null, tr: Tr): Element[] {
  const out: Element[] = [];
  out.push(text(PAD, 34, tr('analysis-card-title'), { size: 28, bold: true }));
  const meta = [
    a.pickedMap ? tr('analysis-card-map', { map: mapLabel(a.pickedMap) }) : tr('analysis-card-map-open'),
    a.competitionName,
    a.region,
  ].filter((x): x is string => !!x);
  out.push(text(PAD, 68, clip(meta.join(' · '), 60), { size: 16, color: '#555555' }));
  const chance = a.modelWinProbability ?? a.winProbability;
  const x0 = 660;
  const x1 = WIDTH - PAD;
  if (!chance) {
    out.push(text(x1, 40, tr('analysis-card-no-chance'), { size: 18, color: '#888888', align: 'right' }));
    return out;
  }
  const [f, s] = order;
  const p = chance[f];
  out.push(
    text(x0, 24, tr(us ? 'analysis-card-chance-us' : 'analysis-card-chance'), { size: 14, color: '#888888' }),
  );
  const split = x0 + Math.round((x1 - x0) * p);
  out.push(
    rect(x0, 38, split - x0, 30, TEAM_COLOR.first),
    rect(split, 38, x1 - split, 30, TEAM_COLOR.second),
  );
  out.push(text(x0 + 8, 53, pct(p), { bold: true, color: '#ffffff' }));
  out.push(text(x1 - 8, 53, pct(chance[s]), { bold: true, color: '#ffffff', align: 'right' }));
  const elo = a.modelWinProbability ? a.winProbability : null;
  if (elo) {
    out.push(
      text(x0, 86, `${tr('analysis-card-elo-alone')}: ${pct(elo[f])} — ${pct(elo[s])}`, {
        size: 15,
        color: '#555555',
      }),
    );
  }
  return out;
}

/** The card of a stored analysis, in the reader's language (SVG and PNG). */
export function renderLobbyCard(analysis: LobbyAnalysis, options: CardOptions = {}): ChartImage {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const tr: Tr = (key, vars) => i18n.t(locale, key, vars);
  const side = perspectiveOf(analysis, options.perspective);
  const us = side?.us ?? null;
  const requester = side ? (options.perspective ?? null) : null;
  const order: FactionId[] = us === 'faction2' ? ['faction2', 'faction1'] : ['faction1', 'faction2'];
  const teamsTop = 112;
  const colWidth = (WIDTH - 3 * PAD) / 2;
  const rows = Math.max(...order.map((f) => analysis.teams[f].players.length), 1);
  const mapsTop = teamsTop + 104 + rows * ROW + 24;
  const height = mapsTop + 60 + Math.max(1, analysis.maps.length) * MAP_ROW + 44;
  const elements: Element[] = [
    ...headerBlock(analysis, order, us, tr),
    ...order.flatMap((f, i) =>
      teamBlock(
        analysis.teams[f],
        PAD + i * (colWidth + PAD),
        teamsTop,
        colWidth,
        i === 0 ? TEAM_COLOR.first : TEAM_COLOR.second,
        us === f,
        requester,
        tr,
        locale,
      ),
    ),
    ...mapsBlock(analysis, us, mapsTop, tr, locale),
    text(PAD, height - 20, tr('analysis-card-legend'), { size: 13, color: '#888888' }),
  ];
  const option: EChartsOption = { graphic: { elements } as EChartsOption['graphic'] };
  return renderChart(option, { width: WIDTH, height });
}
