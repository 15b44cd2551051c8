-- Up Migration

-- Every Telegram Stars charge, recorded in one insert before anything else is done with it (src/billing): from the
-- successful_payment update (origin 'update', raw = the whole update) or found by the reconciliation in
-- getStarTransactions (origin 'reconcile', raw = the StarTransaction). Crediting happens from this row, once by
-- charge id: 'recorded' → 'credited' (the payments row and the plan, one transaction) or 'rejected' (the payload
-- failed verification: refunded automatically) → 'refunded'. No foreign key on the buyer: nothing may stop the
-- record. Kept for good, like payments.
CREATE TABLE star_charges (
  id                         BIGSERIAL PRIMARY KEY,
  telegram_payment_charge_id TEXT NOT NULL UNIQUE,
  telegram_id                BIGINT NOT NULL,
  invoice_payload            TEXT NOT NULL,
  amount                     INTEGER NOT NULL,
  currency                   TEXT NOT NULL,
  provider_payment_charge_id TEXT,
  origin                     TEXT NOT NULL CHECK (origin IN ('update', 'reconcile', 'backfill')),
  raw                        JSONB,
  status                     TEXT NOT NULL DEFAULT 'recorded'
                               CHECK (status IN ('recorded', 'credited', 'rejected', 'refunded')),
  -- Why a charge was rejected (invalid, foreign, currency, amount).
  reason                     TEXT,
  created_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at                 TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The reconciliation's second look: charges recorded but not (yet) settled.
CREATE INDEX star_charges_open_idx ON star_charges (created_at) WHERE status IN ('recorded', 'rejected');
CREATE INDEX star_charges_user_idx ON star_charges (telegram_id, created_at DESC);

-- The payments credited before this table existed are charges too.
INSERT INTO star_charges (telegram_payment_charge_id, telegram_id, invoice_payload, amount, currency,
  provider_payment_charge_id, origin, status, created_at, updated_at)
SELECT telegram_payment_charge_id, telegram_id, invoice_payload, amount, currency, provider_payment_charge_id,
  'backfill', CASE WHEN refunded_at IS NULL THEN 'credited' ELSE 'refunded' END, created_at, now()
FROM payments
ON CONFLICT (telegram_payment_charge_id) DO NOTHING;

-- Down Migration

DROP TABLE star_charges;
