import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_LOCALE, i18n, localesDir, toLocale } from '../../src/i18n';

const ids = (locale: string): string[] =>
  fs
    .readFileSync(path.join(localesDir(), locale, 'analysis.ftl'), 'utf8')
    .split('\n')
    .map((l) => /^([a-zA-Z][\w-]*)\s*=/.exec(l)?.[1])
    .filter((x): x is string => !!x)
    .sort();

describe('shared i18n instance', () => {
  it('loads ru (default) and en from locales/', () => {
    expect(DEFAULT_LOCALE).toBe('ru');
    expect(i18n.locales).toEqual(expect.arrayContaining(['ru', 'en']));
    expect(i18n.t('en', 'analysis-title')).toContain('Lobby analysis');
    expect(i18n.t('ru', 'analysis-title')).toContain('Анализ лобби');
  });

  it('has the same message ids in ru and en, all prefixed analysis-', () => {
    expect(ids('ru')).toEqual(ids('en'));
    expect(ids('ru').length).toBeGreaterThan(40);
    expect(ids('ru').every((id) => id.startsWith('analysis-'))).toBe(true);
  });

  it('reports a missing key loudly (what the render tests rely on)', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(i18n.t('en', 'analysis-no-such-key')).toBe('{analysis-no-such-key}');
      expect(warn).toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    // A missing variable is an error, not a silent `{$var}`.
    expect(() => i18n.t('en', 'analysis-competition')).toThrow();
  });

  it('does not insert bidi isolation marks', () => {
    expect(i18n.t('en', 'analysis-competition', { competition: 'X' })).toBe('🏆 X');
  });

  it('applies Russian plural rules', () => {
    expect(i18n.t('ru', 'analysis-player-matches', { n: 1 })).toBe('1 матч');
    expect(i18n.t('ru', 'analysis-player-matches', { n: 3 })).toBe('3 матча');
    expect(i18n.t('ru', 'analysis-player-matches', { n: 25 })).toBe('25 матчей');
    expect(i18n.t('en', 'analysis-player-matches', { n: 1 })).toBe('1 match');
    expect(i18n.t('en', 'analysis-player-matches', { n: 20 })).toBe('20 matches');
  });

  it('maps language codes to a supported locale', () => {
    expect(toLocale('en-US')).toBe('en');
    expect(toLocale('ru')).toBe('ru');
    expect(toLocale('de')).toBe('ru');
    expect(toLocale(undefined)).toBe('ru');
  });
});
