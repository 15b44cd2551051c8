import { analyzeLobby } from '../../src/analysis/model/analyze';
import { escapeHtml, TELEGRAM_MESSAGE_LIMIT } from '../../src/telegram/html';
import {
  progressBar,
  renderProgress,
  renderRejection,
  renderReport,
  renderSections,
} from '../../src/analysis/render';
import type { LobbyRejection } from '../../src/analysis/model/types';
import type { Locale } from '../../src/i18n';
import { avg, ESTABLISHED_STAR, lifetime, lobby } from './fixtures';

const EVIL_NICK = '<b>x</b>&';
const EVIL_TEAM = 'team_<script>&co';

const input = lobby(
  [
    avg({ nickname: EVIL_NICK, elo: 2150, kpr: 0.85, kd: 1.3, adr: 90, wr: 0.6, ext: { sniperKills: 8 } }),
    avg({ nickname: 'rifler_one', elo: 2050 }),
    avg({ nickname: 'support_guy', elo: 2000, ext: { utilityDamage: 190, entryCount: 3 } }),
    avg({ nickname: 'newbie', elo: 1100, level: 5, n: 3, kpr: 0.95, kd: 2, adr: 100, wr: 1 }),
    avg({ nickname: 'ghost', noData: true, level: 9 }),
  ],
  [
    avg({ nickname: 'star', elo: 2400, ...ESTABLISHED_STAR }),
    avg({ nickname: 'entry_king', elo: 2100, ext: { entryCount: 7 } }),
    avg({
      nickname: 'smurfy',
      elo: 1150,
      level: 5,
      n: 6,
      kpr: 0.95,
      kd: 2,
      adr: 100,
      wr: 5 / 6,
      recentWins5: 4,
      lifetime: lifetime({ matches: 6, winRate: 83, kd: 2, adr: 100 }),
    }),
    avg({ nickname: 'weak_link', elo: 1900, kpr: 0.55, kd: 0.75, wr: 0.4, adr: 62, recentWins5: 1 }),
    avg({ nickname: 'average_joe', elo: 2000 }),
  ],
  { names: [EVIL_TEAM, 'Bravo & Co'], pickedMap: 'de_nuke' },
);
const analysis = analyzeLobby(input);
const nicknames = [...input.match.factions.faction1.roster, ...input.match.factions.faction2.roster].map(
  (r) => r.nickname,
);

function assertTelegramHtml(chunk: string): void {
  expect(chunk.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
  // Only the tags the renderer emits, balanced.
  const stack: string[] = [];
  for (const m of chunk.matchAll(/<(\/?)([^\s>]*)[^>]*>/g)) {
    expect(['b', 'i']).toContain(m[2]);
    if (m[1] === '/') expect(stack.pop()).toBe(m[2]);
    else stack.push(m[2]);
  }
  expect(stack).toEqual([]);
  // Every & starts an entity.
  for (const m of chunk.matchAll(/&[^;\s]*;?/g)) expect(['&amp;', '&lt;', '&gt;']).toContain(m[0]);
}

const CASES: { locale: Locale; perspective: string | null }[] = [];
for (const locale of ['ru', 'en'] as const) {
  for (const perspective of [null, 'a1', 'b2', 'not-in-lobby']) CASES.push({ locale, perspective });
}

describe('renderReport', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it.each(CASES)(
    'renders $locale from perspective $perspective with no missing Fluent keys',
    ({ locale, perspective }) => {
      const chunks = renderReport(analysis, { locale, perspective });
      expect(chunks.length).toBeGreaterThanOrEqual(1);
      const text = chunks.join('\n\n');
      expect(warn).not.toHaveBeenCalled(); // @grammyjs/i18n warns on a missing message
      expect(text).not.toContain('{$');
      expect(text).not.toMatch(/\{\s*analysis-|analysis-[a-z]/);
      expect(text).not.toContain('undefined');
      expect(text).not.toContain('NaN');
      for (const c of chunks) assertTelegramHtml(c);
      for (const nick of nicknames) expect(text).toContain(escapeHtml(nick));
      if (locale === 'en') {
        // Only the (escaped) user-provided names may be non-English; the template must not fall back to Russian.
        expect(text).not.toMatch(/[А-Яа-яЁё]/);
      } else {
        expect(text).toMatch(/Анализ лобби/);
      }
    },
  );

  it('escapes nicknames and team names', () => {
    const text = renderReport(analysis, { locale: 'en', perspective: 'a1' }).join('\n');
    expect(text).not.toContain(EVIL_NICK);
    expect(text).toContain('&lt;b&gt;x&lt;/b&gt;&amp;');
    expect(text).not.toContain('<script>');
    expect(text).toContain('team_&lt;script&gt;&amp;co');
    expect(text).toContain('Bravo &amp; Co');
  });

  it('defaults to Russian', () => {
    expect(renderReport(analysis).join('\n')).toContain('Анализ лобби');
  });

  it('speaks from the requester’s side when he is in the lobby, neutrally otherwise', () => {
    const ours = renderReport(analysis, { locale: 'en', perspective: 'b2' }).join('\n');
    expect(ours).toContain('You play for <b>Bravo &amp; Co</b>');
    expect(ours).toContain('Your team — Bravo &amp; Co');
    expect(ours).toContain('Opponents — team_&lt;script&gt;&amp;co');
    expect(ours).toContain('<b>entry_king</b> (you)');
    expect(ours).toMatch(/Win chance: <b>\d+%<\/b>/);
    expect(ours).toMatch(/At stake: <b>\+\d+<\/b> for a win/);
    // Our team comes first.
    expect(ours.indexOf('Your team')).toBeLessThan(ours.indexOf('Opponents'));
    for (const neutral of [undefined, 'not-in-lobby']) {
      const text = renderReport(analysis, { locale: 'en', perspective: neutral }).join('\n');
      expect(text).toMatch(/Chances: team_&lt;script&gt;&amp;co <b>\d+%<\/b> — <b>\d+%<\/b> Bravo &amp; Co/);
      expect(text).not.toContain('Your team');
      expect(text).not.toContain('(you)');
    }
  });

  it('renders the no-data player, flags, roles, the picked map and the threat marks', () => {
    const text = renderReport(analysis, { locale: 'en', perspective: 'a1' }).join('\n');
    expect(text).toMatch(/❔ <b>ghost<\/b> · lvl 9\n {4}no data/);
    expect(text).toContain('no data for 1 player');
    expect(text).toMatch(/<b>newbie<\/b>[^\n]*\n[^\n]*\n[^\n]*⚠️ few matches/);
    // Signals with their numbers: 6 lifetime matches with K/D 2, ADR 100 and 83 % won agree.
    expect(text).toMatch(
      /<b>smurfy<\/b>[^\n]*\n[^\n]*\n[^\n]*\n {4}🕵️ smurf\? new account: 6 matches, K\/D 2\.0\d, ADR 100, WR 83% at level 5/,
    );
    expect(text).toMatch(/☠️ <b>star<\/b>/);
    expect(text).toContain('🔭 AWPer');
    expect(text).toContain('🚪 entry');
    expect(text).toContain('🧪 support');
    expect(text).toContain('🗺 Map: <b>Nuke</b>');
    expect(text).toContain('📍 <b>Nuke (picked)</b>');
    const ru = renderReport(analysis, { locale: 'ru', perspective: 'a1' }).join('\n');
    expect(ru).toContain('📍 <b>Nuke (выбрана)</b>');
    expect(ru).toContain('нет данных');
  });

  it('splits only at section boundaries when sections fit, keeping every chunk under the limit', () => {
    const sections = renderSections(analysis, { locale: 'ru', perspective: 'a1' });
    const longest = Math.max(...sections.map((s) => s.length));
    const limit = longest + 10; // forces several messages, but every section fits alone
    const chunks = renderReport(analysis, { locale: 'ru', perspective: 'a1', limit });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(limit);
    for (const s of sections) expect(chunks.filter((c) => c.includes(s))).toHaveLength(1);
    expect(chunks.join('\n\n')).toBe(sections.join('\n\n'));
  });

  it('splits a section that is too long on its own at line boundaries', () => {
    const chunks = renderReport(analysis, { locale: 'en', limit: 300 });
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(300);
      assertTelegramHtml(c);
    }
    const strip = (s: string) => s.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ');
    const whole = strip(renderSections(analysis, { locale: 'en' }).join('\n\n'));
    expect(strip(chunks.join('\n\n'))).toBe(whole);
  });
});

describe('renderProgress', () => {
  it('draws a 10-cell bar and the count', () => {
    expect(progressBar(5, 10)).toBe('▓▓▓▓▓░░░░░');
    expect(progressBar(0, 10)).toBe('░░░░░░░░░░');
    expect(progressBar(10, 10)).toBe('▓▓▓▓▓▓▓▓▓▓');
    expect(progressBar(1, 3)).toBe('▓▓▓░░░░░░░');
    expect(progressBar(0, 0)).toBe('░░░░░░░░░░');
    expect(renderProgress(5, 10, 'en')).toContain('▓▓▓▓▓░░░░░ 5/10');
    expect(renderProgress(5, 10, 'ru')).toContain('▓▓▓▓▓░░░░░ 5/10');
    expect(renderProgress(5, 10)).toMatch(/[А-Яа-я]/);
    expect(renderProgress(12, 10, 'en')).toContain('▓▓▓▓▓▓▓▓▓▓ 10/10');
    expect(renderProgress(-1, 10, 'en')).toContain('░░░░░░░░░░ 0/10');
  });
});

describe('renderRejection', () => {
  it.each(['finished', 'cancelled', 'not-two-teams'] as LobbyRejection[])(
    'explains %s in both languages',
    (r) => {
      const ru = renderRejection(r, 'ru');
      const en = renderRejection(r, 'en');
      expect(ru).toMatch(/[А-Яа-я]/);
      expect(en).not.toMatch(/[А-Яа-я]/);
      expect(en).not.toContain('analysis-');
    },
  );
});
