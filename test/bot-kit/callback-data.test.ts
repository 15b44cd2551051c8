import { callbackData, field } from '../../src/bot-kit/callback-data';
import {
  SETTINGS_BACK,
  SETTINGS_LANGUAGE,
  SETTINGS_NOTIFICATIONS,
  SETTINGS_ZONE,
  SETTINGS_ZONES,
  START_LANGUAGE,
} from '../../src/account/keyboards';
import { ADMIN_CALLBACK } from '../../src/admin/render';
import { BROADCAST_CALLBACK } from '../../src/broadcast/render';
import { BUSY_CHOICE, CANCEL_ANALYSIS } from '../../src/analysis/keyboards';
import { BUY_BUTTON, PLANS_BUTTON } from '../../src/billing/render';
import { BRIEF_SWITCH, briefToggleButton } from '../../src/briefs/composer';
import { ELO_CHART_CALLBACK, eloChartCallback } from '../../src/stats/keyboards';

/**
 * Buttons already sitting in users' chats carry the callback data the bot wrote by hand before the typed helper:
 * every kind must pack to those bytes, and accept exactly the data the hand-written regular expressions accepted.
 */
const MATCH = '1-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const PLAYER = 'ad8034c0-1e2f-4a5b-9c8d-7e6f5a4b3c2d';

/** The regular expressions (and literal strings) the handlers matched before this helper. */
const BEFORE = {
  startLanguage: /^lang:(ru|en)$/,
  settingsLanguage: /^set:lang:(ru|en)$/,
  settingsZones: /^set:tz$/,
  settingsZone: /^set:tz:(\d+)$/,
  settingsNotifications: /^set:notif$/,
  settingsBack: /^set:back$/,
  admin: /^adm:(g|rv|rv!|rf|rf!|u):(\d+)(?::(premium|pro):(\d+))?$/,
  broadcast: /^bc:(a|go|x|p|r|c):(\d+)(?::([a-z]+))?$/,
  cancel: /^an:x:([\w-]{1,40}):(\d{1,16})$/,
  busy: /^an:b:([wn]):([\w-]{1,40}):(\d{1,16})$/,
  brief: /^brief:set:([01])$/,
  buy: /^bill:buy:(premium|pro):(month|year)$/,
  plans: /^bill:plans$/,
  elo: /^elo:([0-9a-f-]{8,40})(?::(.{1,23}))?$/i,
};

const NOW = {
  startLanguage: START_LANGUAGE,
  settingsLanguage: SETTINGS_LANGUAGE,
  settingsZones: SETTINGS_ZONES,
  settingsZone: SETTINGS_ZONE,
  settingsNotifications: SETTINGS_NOTIFICATIONS,
  settingsBack: SETTINGS_BACK,
  admin: ADMIN_CALLBACK,
  broadcast: BROADCAST_CALLBACK,
  cancel: CANCEL_ANALYSIS,
  busy: BUSY_CHOICE,
  brief: BRIEF_SWITCH,
  buy: BUY_BUTTON,
  plans: PLANS_BUTTON,
  elo: ELO_CHART_CALLBACK,
};

describe('typed callback data', () => {
  it('packs every kind of button to the bytes the bot wrote before', () => {
    const packed: Array<[string | undefined, string]> = [
      [START_LANGUAGE.pack({ locale: 'ru' }), 'lang:ru'],
      [START_LANGUAGE.pack({ locale: 'en' }), 'lang:en'],
      [SETTINGS_LANGUAGE.pack({ locale: 'en' }), 'set:lang:en'],
      [SETTINGS_ZONES.pack(), 'set:tz'],
      [SETTINGS_ZONE.pack({ index: 0 }), 'set:tz:0'],
      [SETTINGS_ZONE.pack({ index: 16 }), 'set:tz:16'],
      [SETTINGS_NOTIFICATIONS.pack(), 'set:notif'],
      [SETTINGS_BACK.pack(), 'set:back'],
      [ADMIN_CALLBACK.pack({ op: 'g', id: 4242, plan: 'premium', days: 30 }), 'adm:g:4242:premium:30'],
      [ADMIN_CALLBACK.pack({ op: 'rv', id: 4242 }), 'adm:rv:4242'],
      [ADMIN_CALLBACK.pack({ op: 'rv!', id: 4242 }), 'adm:rv!:4242'],
      [ADMIN_CALLBACK.pack({ op: 'rf', id: 17 }), 'adm:rf:17'],
      [ADMIN_CALLBACK.pack({ op: 'rf!', id: 17 }), 'adm:rf!:17'],
      [ADMIN_CALLBACK.pack({ op: 'u', id: 4242 }), 'adm:u:4242'],
      [BROADCAST_CALLBACK.pack({ op: 'a', id: 9, audience: 'premium' }), 'bc:a:9:premium'],
      [BROADCAST_CALLBACK.pack({ op: 'go', id: 9 }), 'bc:go:9'],
      [BROADCAST_CALLBACK.pack({ op: 'x', id: 9 }), 'bc:x:9'],
      [BROADCAST_CALLBACK.pack({ op: 'p', id: 9 }), 'bc:p:9'],
      [BROADCAST_CALLBACK.pack({ op: 'r', id: 9 }), 'bc:r:9'],
      [BROADCAST_CALLBACK.pack({ op: 'c', id: 9 }), 'bc:c:9'],
      [CANCEL_ANALYSIS.pack({ matchId: MATCH, requesterId: 123456789 }), `an:x:${MATCH}:123456789`],
      [BUSY_CHOICE.pack({ choice: 'w', matchId: MATCH, requesterId: 77 }), `an:b:w:${MATCH}:77`],
      [BUSY_CHOICE.pack({ choice: 'n', matchId: MATCH, requesterId: 77 }), `an:b:n:${MATCH}:77`],
      [BUY_BUTTON.pack({ plan: 'pro', period: 'year' }), 'bill:buy:pro:year'],
      [BUY_BUTTON.pack({ plan: 'premium', period: 'month' }), 'bill:buy:premium:month'],
      [PLANS_BUTTON.pack(), 'bill:plans'],
      [eloChartCallback(PLAYER, 's1mple'), `elo:${PLAYER}:s1mple`],
      [eloChartCallback(PLAYER), `elo:${PLAYER}`],
    ];
    for (const [now, before] of packed) expect(now).toBe(before);
    // The brief switch shows the state and carries the one it turns to.
    expect(briefToggleButton('en', true)).toMatchObject({ callback_data: 'brief:set:0' });
    expect(briefToggleButton('ru', false)).toMatchObject({ callback_data: 'brief:set:1' });
  });

  it('reads back what it packed, typed', () => {
    expect(ADMIN_CALLBACK.unpack('adm:g:4242:pro:30')).toEqual({ op: 'g', id: 4242, plan: 'pro', days: 30 });
    expect(ADMIN_CALLBACK.unpack('adm:rv!:4242')).toEqual({ op: 'rv!', id: 4242 });
    expect(BUSY_CHOICE.unpack(BUSY_CHOICE.pack({ choice: 'n', matchId: MATCH, requesterId: 77 }))).toEqual({
      choice: 'n',
      matchId: MATCH,
      requesterId: 77,
    });
    expect(CANCEL_ANALYSIS.read(CANCEL_ANALYSIS.filter.exec(`an:x:${MATCH}:5`)!)).toEqual({
      matchId: MATCH,
      requesterId: 5,
    });
    expect(SETTINGS_ZONE.unpack('set:tz:3')).toEqual({ index: 3 });
    expect(SETTINGS_ZONES.unpack('set:tz')).toEqual({});
    expect(BROADCAST_CALLBACK.unpack('bc:a:9:ru')).toEqual({ op: 'a', id: 9, audience: 'ru' });
    expect(ELO_CHART_CALLBACK.unpack(`elo:${PLAYER}:a:b`)).toEqual({ playerId: PLAYER, nickname: 'a:b' });
    expect(BUY_BUTTON.unpack('bill:buy:premium:year')).toEqual({ plan: 'premium', period: 'year' });
  });

  it('accepts exactly the data the hand-written patterns accepted (buttons in chats keep working)', () => {
    const samples = [
      'lang:ru',
      'lang:en',
      'lang:de',
      'lang:',
      'lang',
      'lang:ru:x',
      'set:lang:ru',
      'set:lang:en',
      'set:lang:fr',
      'set:tz',
      'set:tz:',
      'set:tz:0',
      'set:tz:16',
      'set:tz:99999',
      'set:tz:-1',
      'set:tz:1.5',
      'set:tzx',
      'set:notif',
      'set:notif:1',
      'set:back',
      'set:back:',
      'adm:g:1:premium:30',
      'adm:g:1:pro:7',
      'adm:g:1',
      'adm:g:1:premium',
      'adm:g:1:gold:30',
      'adm:rv:5',
      'adm:rv!:5',
      'adm:rf!:5',
      'adm:u:5',
      'adm:x:5',
      'adm:u:',
      'adm:u:abc',
      'adm:rv:5:pro:1',
      'bc:a:1:all',
      'bc:a:1:ru',
      'bc:a:1:Ru',
      'bc:a:1:',
      'bc:go:12',
      'bc:go:12:x',
      'bc:zz:1',
      'bc:c:',
      'bc:p:3',
      'bc:r:3',
      'bc:x:3',
      `an:x:${MATCH}:1`,
      `an:x:${MATCH}:`,
      'an:x:',
      'an:x::1',
      `an:x:${MATCH}:12345678901234567`,
      `an:x:${MATCH}:1:2`,
      `an:x:${'a'.repeat(41)}:1`,
      `an:x:a b:1`,
      `an:b:w:${MATCH}:1`,
      `an:b:n:${MATCH}:1`,
      `an:b:q:${MATCH}:1`,
      `an:b:w:${MATCH}`,
      'an:b:w::1',
      'brief:set:0',
      'brief:set:1',
      'brief:set:2',
      'brief:set:',
      'brief:set:01',
      'bill:buy:pro:month',
      'bill:buy:premium:year',
      'bill:buy:free:month',
      'bill:buy:pro:week',
      'bill:buy:pro',
      'bill:plans',
      'bill:plans:x',
      `elo:${PLAYER}`,
      `elo:${PLAYER}:nick`,
      `elo:${PLAYER.toUpperCase()}:Nick`,
      `elo:${PLAYER}:`,
      `elo:${PLAYER}:${'n'.repeat(23)}`,
      `elo:${PLAYER}:${'n'.repeat(24)}`,
      'elo:1234567',
      'elo:12345678',
      `elo:${PLAYER}:<b>x</b>`,
      `elo:xyz${PLAYER}`,
      '',
      ':',
      'x',
    ];
    for (const data of samples) {
      for (const kind of Object.keys(BEFORE) as Array<keyof typeof BEFORE>) {
        const was = BEFORE[kind].test(data);
        expect({ kind, data, accepted: NOW[kind].filter.test(data) }).toEqual({ kind, data, accepted: was });
        expect({ kind, data, unpacked: NOW[kind].unpack(data) !== undefined }).toEqual({
          kind,
          data,
          unpacked: was,
        });
      }
    }
  });

  it('rejects malformed and forged data', () => {
    expect(CANCEL_ANALYSIS.unpack('an:x:')).toBeUndefined();
    expect(CANCEL_ANALYSIS.unpack(`an:x:${MATCH}`)).toBeUndefined();
    expect(CANCEL_ANALYSIS.unpack(`an:x:${MATCH}:7:8`)).toBeUndefined();
    expect(BUSY_CHOICE.unpack(`an:b:maybe:${MATCH}:7`)).toBeUndefined();
    expect(START_LANGUAGE.unpack('lang:de')).toBeUndefined();
    expect(BUY_BUTTON.unpack('bill:buy:free:month')).toBeUndefined();
    expect(ADMIN_CALLBACK.unpack('adm:g:1:premium')).toBeUndefined();
    expect(ADMIN_CALLBACK.unpack('adm:drop:1')).toBeUndefined();
    expect(SETTINGS_ZONE.unpack('set:tz:-1')).toBeUndefined();
    expect(SETTINGS_BACK.unpack(undefined)).toBeUndefined();
    // Another kind's data is not this kind's.
    expect(SETTINGS_ZONES.unpack('set:tz:1')).toBeUndefined();
    expect(SETTINGS_ZONE.unpack('set:tz')).toBeUndefined();
    expect(() => CANCEL_ANALYSIS.read(`an:b:w:${MATCH}:1`)).toThrow(/an:x/);
  });

  it('refuses at pack time what a button cannot carry', () => {
    // The separator inside a value would shift every field after it.
    const note = callbackData('t', { text: field.string('.+'), n: field.integer() });
    expect(() => note.pack({ text: 'a:b', n: 1 })).toThrow(/separator/);
    expect(() => ELO_CHART_CALLBACK.pack({ playerId: PLAYER, nickname: 'a:b' })).toThrow(/separator/);
    // Telegram's limit is 64 bytes of UTF-8, not 64 characters.
    expect(note.pack({ text: 'x'.repeat(60), n: 1 })).toHaveLength(64);
    expect(() => note.pack({ text: 'x'.repeat(61), n: 1 })).toThrow(/65 bytes/);
    expect(() => note.pack({ text: 'é'.repeat(31), n: 1 })).toThrow(/66 bytes/);
    // Values outside their field.
    expect(() => CANCEL_ANALYSIS.pack({ matchId: 'has space', requesterId: 1 })).toThrow(/matchId/);
    expect(() => CANCEL_ANALYSIS.pack({ matchId: MATCH, requesterId: -1 })).toThrow(/requesterId/);
    expect(() => CANCEL_ANALYSIS.pack({ matchId: MATCH, requesterId: 1.5 })).toThrow(/requesterId/);
    expect(() => CANCEL_ANALYSIS.pack({ matchId: MATCH, requesterId: 1e17 })).toThrow(/requesterId/);
    expect(() => START_LANGUAGE.pack({ locale: 'de' as 'ru' })).toThrow(/locale/);
    // Optional fields travel together.
    expect(() => ADMIN_CALLBACK.pack({ op: 'g', id: 1, plan: 'pro' })).toThrow(/plan, days/);
    expect(BROADCAST_CALLBACK.tryPack({ op: 'a', id: 1, audience: 'a:b' })).toBeUndefined();
    // The ELO button drops a nickname that does not fit rather than the button.
    expect(eloChartCallback(PLAYER, 'n'.repeat(30))).toBe(`elo:${PLAYER}`);
    expect(eloChartCallback(PLAYER, 'a:b')).toBe(`elo:${PLAYER}`);
    // A player id the button cannot carry: the profile goes without the button, not without its answer.
    expect(eloChartCallback('not:an:id', 'nick')).toBeUndefined();
    expect(() => callbackData('o', { a: field.optional(field.integer()), b: field.integer() })).toThrow(
      /last/,
    );
  });
});
