-- Up Migration

-- A grant or revocation made from the bot (admin tools, scripts) commits first and then signals the user's
-- subscription workflow to re-arm its timers. The row below is written in the same transaction and removed once the
-- signal went through: a row that stays is a signal that failed (or a bot that died before sending it), and the
-- bot's reconciler sends it again (src/billing/reconcile.ts). The token tells a later change's row from this one's.
CREATE TABLE subscription_timer_resync (
  telegram_id BIGINT PRIMARY KEY,
  token       UUID NOT NULL,
  since       TIMESTAMPTZ NOT NULL DEFAULT now(),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT
);

-- Down Migration

DROP TABLE subscription_timer_resync;
