/** Broadcast texts and keyboards: the draft's controls, the progress message and the final report. */
import { InlineKeyboard } from 'grammy';
import { t, type Locale } from '../i18n';
import { callbackData, field } from '../bot-kit/callback-data';
import { AUDIENCE_KEYS, keyOf, type Audience, type AudienceKey } from './model/audience';
import { handled, type BroadcastProgress, type BroadcastReport } from './model/progress';

/**
 * Callback data: `bc:<op>:<broadcast id>[:<audience>]`, well under Telegram's 64 bytes. The audience is any word on
 * the wire (the handler checks it against AUDIENCE_KEYS after the admin check, as before this helper).
 */
export const BROADCAST_CALLBACK = callbackData('bc', {
  op: field.oneOf(['a', 'go', 'x', 'p', 'r', 'c']),
  id: field.integer(),
  audience: field.optional(field.string('[a-z]+')),
});

export const audienceLabel = (locale: Locale, audience: Audience | AudienceKey) =>
  t(locale, `broadcast-audience-${typeof audience === 'string' ? audience : keyOf(audience)}`);

export function renderControls(locale: Locale, id: number, audience: Audience, size: number): string {
  return t(locale, 'broadcast-controls', { id: String(id), audience: audienceLabel(locale, audience), size });
}

export function controlsKeyboard(
  locale: Locale,
  id: number,
  audience: Audience,
  size: number,
): InlineKeyboard {
  const current = keyOf(audience);
  const kb = new InlineKeyboard();
  AUDIENCE_KEYS.forEach((key, i) => {
    const label = `${key === current ? '● ' : ''}${audienceLabel(locale, key)}`;
    kb.text(label, BROADCAST_CALLBACK.pack({ op: 'a', id, audience: key }));
    if (i === 0 || i === 3) kb.row();
  });
  kb.row();
  if (size > 0)
    kb.text(t(locale, 'broadcast-btn-confirm', { size }), BROADCAST_CALLBACK.pack({ op: 'go', id }));
  kb.text(t(locale, 'broadcast-btn-discard'), BROADCAST_CALLBACK.pack({ op: 'x', id }));
  return kb;
}

function bar(done: number, total: number): string {
  const filled = total > 0 ? Math.round((done / total) * 10) : 10;
  return '▓'.repeat(filled) + '░'.repeat(10 - filled);
}

export function renderProgress(
  locale: Locale,
  b: { id: number; audience: Audience },
  p: BroadcastProgress,
): string {
  const done = handled(p);
  return t(locale, 'broadcast-progress', {
    id: String(b.id),
    audience: audienceLabel(locale, b.audience),
    state: t(locale, `broadcast-state-${p.state}`),
    bar: bar(done, p.total),
    done,
    total: p.total,
    sent: p.sent,
    blocked: p.blocked,
    failed: p.failed,
    uncertain: p.uncertain ? t(locale, 'broadcast-uncertain', { n: p.uncertain }) : '',
  });
}

export function progressKeyboard(
  locale: Locale,
  id: number,
  p: BroadcastProgress,
): InlineKeyboard | undefined {
  if (p.state === 'finishing' || p.state === 'finished' || p.cancelled) return undefined;
  const kb = new InlineKeyboard();
  if (p.state === 'paused')
    kb.text(t(locale, 'broadcast-btn-resume'), BROADCAST_CALLBACK.pack({ op: 'r', id }));
  else kb.text(t(locale, 'broadcast-btn-pause'), BROADCAST_CALLBACK.pack({ op: 'p', id }));
  return kb.text(t(locale, 'broadcast-btn-cancel'), BROADCAST_CALLBACK.pack({ op: 'c', id }));
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 90 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function renderReport(
  locale: Locale,
  b: { id: number; audience: Audience },
  r: BroadcastReport,
): string {
  return t(locale, 'broadcast-report', {
    id: String(b.id),
    audience: audienceLabel(locale, b.audience),
    status: t(locale, `broadcast-status-${r.status}`),
    duration: duration(r.durationMs),
    sent: r.sent,
    total: r.total,
    blocked: r.blocked,
    failed: r.failed,
    uncertain: r.uncertain,
    notSent: r.notSent,
  });
}
