import { dateTime, echo, int, num, pct } from '../../src/bot-kit/format';
import { containsRoomLink, parseAccountReference, parseCount } from '../../src/bot-kit/parse';

describe('bot input parsing', () => {
  it.each([
    ['s1mple', { kind: 'nickname', nickname: 's1mple' }],
    ['  -Bober_boy381  ', { kind: 'nickname', nickname: '-Bober_boy381' }],
    ['76561198034202275', { kind: 'steam', steamId64: '76561198034202275' }],
    [
      'https://steamcommunity.com/profiles/76561198034202275/',
      { kind: 'steam', steamId64: '76561198034202275' },
    ],
    ['steamcommunity.com/profiles/76561198034202275', { kind: 'steam', steamId64: '76561198034202275' }],
    ['https://www.faceit.com/ru/players/s1mple', { kind: 'nickname', nickname: 's1mple' }],
    ['https://faceit.com/players/ZywOo/stats/cs2', { kind: 'nickname', nickname: 'ZywOo' }],
    ['https://www.faceit.com/en/players/%D0%BA%D0%BE%D1%82', { kind: 'nickname', nickname: 'кот' }],
  ])('%s → a player reference', (input, ref) => {
    expect(parseAccountReference(input)).toEqual({ ok: true, ref, shown: expect.any(String) });
  });

  it.each([
    ['', 'empty'],
    ['x'.repeat(201), 'too-long'],
    ['a'.repeat(40), 'too-long'],
    ['<b>bob</b>', 'invalid-nickname'],
    ['two words', 'invalid-nickname'],
    ['https://www.faceit.com/en/cs2/room/1-abc', 'room-url'],
    ['https://steamcommunity.com/id/gaben', 'steam-vanity'],
    ['https://example.com/players/bob', 'malformed-url'],
    ['https://www.faceit.com/en/players/', 'malformed-url'],
    ['https://www.faceit.com/en/players/%E0%A4%A', 'malformed-url'],
  ])('%j → %s', (input, error) => {
    expect(parseAccountReference(input)).toEqual({ ok: false, error });
  });

  it('counts: default when absent, cut to the maximum, junk refused', () => {
    expect(parseCount('', { fallback: 5, max: 20 })).toEqual({ ok: true, value: 5, clamped: false });
    expect(parseCount(' 7 ', { fallback: 5, max: 20 })).toEqual({ ok: true, value: 7, clamped: false });
    expect(parseCount('500', { fallback: 5, max: 20 })).toEqual({ ok: true, value: 20, clamped: true });
    for (const junk of ['0', '-3', '2.5', 'ten', '99999'])
      expect(parseCount(junk, { fallback: 5, max: 20 }).ok).toBe(false);
  });

  it('room links are recognised anywhere in a message', () => {
    expect(containsRoomLink('gl hf https://www.faceit.com/ru/cs2/room/1-abc/scoreboard')).toBe(true);
    expect(containsRoomLink('https://www.faceit.com/ru/players/bob')).toBe(false);
  });
});

describe('bot formatting per language and time zone', () => {
  it('numbers: "1,25" and "1 234" in Russian, "1.25" and "1,234" in English; missing is a dash', () => {
    expect(num('ru', 1.25)).toBe('1,25');
    expect(num('en', 1.25)).toBe('1.25');
    expect(int('ru', 1234).replace(/\s/g, ' ')).toBe('1 234');
    expect(int('en', 1234)).toBe('1,234');
    expect(pct('en', 48.4)).toBe('48%');
    expect(num('ru', null)).toBe('—');
  });

  it('dates in the user’s zone', () => {
    const at = Date.UTC(2026, 10, 23, 21, 30);
    expect(dateTime('ru', 'Europe/Moscow', at)).toBe('24.11, 00:30');
    expect(dateTime('en', 'Asia/Almaty', at)).toBe('24/11, 02:30');
    expect(dateTime('en', 'UTC', at)).toBe('23/11, 21:30');
  });

  it('echo: user input escaped for HTML and cut to one short line', () => {
    expect(echo('<b>a & b</b>')).toBe('&lt;b&gt;a &amp; b&lt;/b&gt;');
    expect(echo('x'.repeat(100))).toHaveLength(40);
  });
});
