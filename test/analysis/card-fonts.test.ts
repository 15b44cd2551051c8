import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { renderLobbyCard } from '../../src/analysis/card';
import { analyzeLobby } from '../../src/analysis/model/analyze';
import { FONT_FILES } from '../../src/charts';
import { sampleLobby } from './samples';

// The card draws with a cut of DejaVu Sans first (assets/fonts, for speed) and the full files after it.
const CUT = FONT_FILES.slice(0, 2);
const FULL = FONT_FILES.slice(2);

const draw = (svg: string, fontFiles: string[]) =>
  new Resvg(svg, {
    background: '#ffffff',
    font: {
      fontFiles,
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  })
    .render()
    .asPng();

const label = (text: string, weight: 'normal' | 'bold') =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40"><text x="4" y="28" ` +
  `style="font-size:20px;font-family:DejaVu Sans;font-weight:${weight};">${escapeXml(text)}</text></svg>`;

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Every character the card's own words use (its en and ru messages), placeholders left out. */
function cardCharacters(): string[] {
  const chars = new Set<string>();
  for (const locale of ['en', 'ru']) {
    const dir = path.join(__dirname, '..', '..', 'locales', locale);
    for (const file of fs.readdirSync(dir)) {
      for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
        const m = /^analysis-card-[\w-]+ = (.*)$/.exec(line);
        if (!m || m[1].includes('<b>')) continue; // HTML texts go in messages, not on the picture
        for (const ch of m[1].replace(/\{[^}]*\}/g, ''))
          if (ch.trim() && ch.codePointAt(0)! < 0x2600) chars.add(ch);
      }
    }
  }
  for (let c = 0x21; c < 0x7f; c++) chars.add(String.fromCharCode(c)); // nicknames, team names, numbers
  return [...chars];
}

describe('lobby card fonts', () => {
  it.each(['en', 'ru'] as const)(
    'the card is drawn pixel for pixel as with the full fonts (%s)',
    (locale) => {
      const card = renderLobbyCard(analyzeLobby({ ...sampleLobby(), asOf: Date.UTC(2026, 11, 1) }), {
        locale,
      });
      expect(card.png.equals(draw(card.svg, FONT_FILES))).toBe(true);
      expect(card.png.equals(draw(card.svg, FULL))).toBe(true);
    },
  );

  it('the cut has every character of the card’s words, in both weights', () => {
    const chars = cardCharacters();
    expect(chars.length).toBeGreaterThan(120); // ASCII and the Russian words are there
    const missing = chars.filter((ch) =>
      (['normal', 'bold'] as const).some((w) => !draw(label(ch, w), CUT).equals(draw(label(ch, w), FULL))),
    );
    expect(missing).toEqual([]);
  });

  it('a character outside the cut is still drawn, from the full font', () => {
    const text = 'abc Ագ ẞ ✓'; // Armenian, capital sharp s, a check mark: not in the cut
    const fromCut = draw(label(text, 'normal'), CUT);
    const shipped = draw(label(text, 'normal'), FONT_FILES);
    expect(shipped.equals(fromCut)).toBe(false);
    expect(shipped.equals(draw(label(text, 'normal'), FULL))).toBe(true);
  });
});
