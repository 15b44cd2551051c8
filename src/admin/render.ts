/** Texts and keyboards of the admin tools. Untrusted parts (names, nicknames, queries) are escaped here. */
import { InlineKeyboard } from 'grammy';
import { date, dateTime, html, int, num } from '../bot-kit/format';
import { PLAN_NAMES, type Plan } from '../billing';
import { t, type Locale } from '../i18n';
import { callbackData, field } from '../bot-kit/callback-data';
import type { QueuesReport } from './client';
import type { AdminStats, PaymentRow, UserCardRow } from './repository';

/**
 * Callback data of the admin buttons (all under Telegram's 64 bytes): `adm:<op>:<user or payment id>`, and the grant's
 * `adm:g:<user id>:<plan>:<days>`. `!` confirms (revoke, refund); `u` goes back to the user's card.
 */
export const ADMIN_CALLBACK = callbackData('adm', {
  op: field.oneOf(['g', 'rv', 'rv!', 'rf', 'rf!', 'u']),
  id: field.integer(),
  plan: field.optional(field.oneOf(['premium', 'pro'])),
  days: field.optional(field.integer()),
});
export const GRANT_BUTTONS: ReadonlyArray<{ plan: Exclude<Plan, 'free'>; days: number }> = [
  { plan: 'premium', days: 30 },
  { plan: 'pro', days: 30 },
];

const seconds = (locale: Locale, ms: number | null) => (ms === null ? '—' : `${num(locale, ms / 1000, 1)} s`);

export function renderStats(
  locale: Locale,
  stats: AdminStats,
  faceit: { calls: number; budget: number },
): string {
  const languages =
    Object.entries(stats.users.byLanguage)
      .map(([lang, n]) => `${lang} ${int(locale, n)}`)
      .join(' · ') || '—';
  return t(locale, 'admin-stats', {
    total: int(locale, stats.users.total),
    active24h: int(locale, stats.users.active24h),
    active7d: int(locale, stats.users.active7d),
    languages,
    free: int(locale, stats.plans.free),
    premium: int(locale, stats.plans.premium),
    pro: int(locale, stats.plans.pro),
    expiring: int(locale, stats.plans.expiringThisWeek),
    analyses: int(locale, stats.analyses.today),
    delivered: int(locale, stats.analyses.delivered),
    p50: seconds(locale, stats.analyses.p50Ms),
    p95: seconds(locale, stats.analyses.p95Ms),
    calls: int(locale, faceit.calls),
    budget: int(locale, faceit.budget),
    share: faceit.budget > 0 ? `${num(locale, (faceit.calls / faceit.budget) * 100, 1)}%` : '—',
    tracked: int(locale, stats.trackedPlayers),
    chats: int(locale, stats.trackingChats),
    notifications: int(locale, stats.notificationsToday),
    stars: int(locale, stats.stars.revenueThisMonth),
    payments: int(locale, stats.stars.payments),
    refunded: int(locale, stats.stars.refunded),
  });
}

export interface UserCardInput {
  user: UserCardRow;
  plan: Plan;
  expiresAt: Date | null;
  quota: number;
  payments: readonly PaymentRow[];
  /** Other users matching the same query. */
  others: number[];
}

export function renderUserCard(locale: Locale, zone: string, input: UserCardInput): string {
  const { user } = input;
  const at = (d: Date | null) => dateTime(locale, zone, d ? d.getTime() : null);
  const lines = [
    t(locale, 'admin-user-card', {
      name: html(user.first_name ?? '—'),
      username: user.username ? `@${html(user.username)}` : '',
      id: String(user.telegram_id),
      language: user.language,
      registered: date(locale, zone, user.created_at.getTime()),
      active: at(user.last_active_at),
      blocked: user.blocked_at
        ? t(locale, 'admin-user-blocked', { since: at(user.blocked_at) })
        : t(locale, 'admin-user-not-blocked'),
      plan: PLAN_NAMES[input.plan],
      expiry:
        input.plan === 'free'
          ? ''
          : input.expiresAt
            ? t(locale, 'admin-user-expiry', { date: at(input.expiresAt) })
            : t(locale, 'admin-user-expiry-none'),
      used: user.analyses_today,
      quota: input.quota,
      requests: user.total_requests,
      faceit: user.faceit_nickname
        ? `<b>${html(user.faceit_nickname)}</b> (<code>${html(user.faceit_player_id ?? '')}</code>)`
        : t(locale, 'admin-user-no-faceit'),
      referrals: user.referrals,
      referrer: user.referred_by ? `<code>${user.referred_by}</code>` : t(locale, 'admin-user-nobody'),
    }),
  ];
  if (input.payments.length) {
    lines.push(t(locale, 'admin-user-payments'));
    for (const p of input.payments) {
      lines.push(
        t(locale, 'admin-user-payment', {
          date: at(p.created_at),
          amount: p.amount,
          plan: PLAN_NAMES[p.tier as Plan] ?? p.tier,
          period: p.period,
          charge: html(p.telegram_payment_charge_id),
          refunded: p.refunded_at ? t(locale, 'admin-user-payment-refunded') : '',
        }),
      );
    }
  } else lines.push(t(locale, 'admin-user-no-payments'));
  if (input.others.length) lines.push('', t(locale, 'admin-user-also', { ids: input.others.join(', ') }));
  return lines.join('\n');
}

export function userCardKeyboard(locale: Locale, zone: string, input: UserCardInput): InlineKeyboard {
  const id = input.user.telegram_id;
  const kb = new InlineKeyboard();
  for (const g of GRANT_BUTTONS) {
    kb.text(
      t(locale, 'admin-btn-grant', { days: g.days, plan: PLAN_NAMES[g.plan] }),
      ADMIN_CALLBACK.pack({ op: 'g', id, plan: g.plan, days: g.days }),
    );
  }
  kb.row();
  if (input.plan !== 'free')
    kb.text(t(locale, 'admin-btn-revoke'), ADMIN_CALLBACK.pack({ op: 'rv', id })).row();
  for (const p of input.payments.filter((x) => !x.refunded_at).slice(0, 3)) {
    kb.text(
      t(locale, 'admin-btn-refund', { amount: p.amount, date: date(locale, zone, p.created_at.getTime()) }),
      ADMIN_CALLBACK.pack({ op: 'rf', id: p.id }),
    ).row();
  }
  return kb;
}

export function confirmKeyboard(
  locale: Locale,
  what: { kind: 'revoke'; userId: number } | { kind: 'refund'; payment: PaymentRow },
): InlineKeyboard {
  if (what.kind === 'revoke') {
    return new InlineKeyboard()
      .text(t(locale, 'admin-btn-confirm-revoke'), ADMIN_CALLBACK.pack({ op: 'rv!', id: what.userId }))
      .row()
      .text(t(locale, 'admin-btn-back'), ADMIN_CALLBACK.pack({ op: 'u', id: what.userId }));
  }
  return new InlineKeyboard()
    .text(
      t(locale, 'admin-btn-confirm-refund', { amount: what.payment.amount }),
      ADMIN_CALLBACK.pack({ op: 'rf!', id: what.payment.id }),
    )
    .row()
    .text(t(locale, 'admin-btn-back'), ADMIN_CALLBACK.pack({ op: 'u', id: what.payment.telegram_id }));
}

export function renderQueues(locale: Locale, report: QueuesReport): string {
  const lines = [t(locale, 'admin-queues-title')];
  for (const q of report.queues) {
    const oldest = Math.max(q.workflow.backlogAgeS, q.activity.backlogAgeS);
    lines.push(
      t(locale, 'admin-queues-line', {
        tier: q.tier,
        queue: html(q.taskQueue),
        wfBacklog: int(locale, q.workflow.backlog),
        wfPollers: q.workflow.pollers,
        actBacklog: int(locale, q.activity.backlog),
        actPollers: q.activity.pollers,
        age: oldest >= 1 ? t(locale, 'admin-queues-age', { seconds: Math.round(oldest) }) : '',
        running: int(locale, q.running),
      }),
    );
  }
  lines.push('', t(locale, 'admin-queues-running', { total: int(locale, report.running.total) }));
  for (const r of report.running.byType) {
    lines.push(t(locale, 'admin-queues-type', { type: html(r.type), count: int(locale, r.count) }));
  }
  if (report.running.truncated) lines.push(t(locale, 'admin-queues-truncated', { listed: 5000 }));
  return lines.join('\n');
}
