-- Up Migration

-- Billing (src/billing). A higher plan bought or granted while a lower one runs starts at once; the lower plan's
-- unused time is kept as credit and resumes when the higher plan ends. NULL credit_seconds with a credit tier means
-- an open-ended lower plan (legacy subscriptions without an expiry).
ALTER TABLE subscriptions
  ADD COLUMN credit_tier    TEXT CHECK (credit_tier IN ('premium')),
  ADD COLUMN credit_seconds BIGINT CHECK (credit_seconds >= 0);

-- What a payment bought (days of its tier): a refund takes exactly that back, once.
ALTER TABLE payments ADD COLUMN days INTEGER CHECK (days > 0);

-- A referral is rewarded once the referred user links a FACEIT account; that account can earn one reward only
-- (several Telegram accounts linking one FACEIT player earn nothing more).
ALTER TABLE referrals ADD COLUMN faceit_player_id TEXT;
CREATE UNIQUE INDEX referrals_rewarded_player_idx ON referrals (faceit_player_id) WHERE faceit_player_id IS NOT NULL;

-- Every change of a subscription, whoever made it: the billing audit trail (admin actions are also in
-- admin_audit_log, written by the admin slice).
CREATE TABLE subscription_events (
  id          BIGSERIAL PRIMARY KEY,
  telegram_id BIGINT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('payment', 'grant', 'revoke', 'refund', 'referral', 'expiry')),
  source      TEXT NOT NULL,
  tier        TEXT CHECK (tier IN ('free', 'premium', 'pro')),
  days        INTEGER,
  actor_id    BIGINT,
  charge_id   TEXT,
  tier_before TEXT,
  expires_before TIMESTAMPTZ,
  tier_after  TEXT,
  expires_after TIMESTAMPTZ,
  details     JSONB NOT NULL DEFAULT '{}',
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX subscription_events_user_idx ON subscription_events (telegram_id, id DESC);

-- Messages the billing workflows send at most once (confirmation per charge, reminder and downgrade per expiry,
-- referral rewards): claimed before sending.
CREATE TABLE billing_notices (
  telegram_id BIGINT NOT NULL,
  kind        TEXT NOT NULL,
  key         TEXT NOT NULL,
  claimed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  sent_at     TIMESTAMPTZ,
  PRIMARY KEY (telegram_id, kind, key)
);

-- Down Migration

DROP TABLE billing_notices;
DROP TABLE subscription_events;
DROP INDEX referrals_rewarded_player_idx;
ALTER TABLE referrals DROP COLUMN faceit_player_id;
ALTER TABLE payments DROP COLUMN days;
ALTER TABLE subscriptions DROP COLUMN credit_seconds, DROP COLUMN credit_tier;
