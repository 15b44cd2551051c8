-- Up Migration

-- Live users the legacy migration merged into instead of replacing (docs/migration.md, "Live users: the merge
-- rule"): a user the new bot already served keeps every row it has; the legacy record only fills what is missing,
-- and a legacy paid plan still running is granted on top through the billing ledger. banked_until is how far the
-- legacy plan's time has been granted already (banked_open_ended: an open-ended legacy plan was), so a resumed run,
-- a re-run or a later duplicate record never grants the same time twice.
CREATE TABLE legacy_merges (
  telegram_id       BIGINT PRIMARY KEY REFERENCES users (telegram_id) ON DELETE CASCADE,
  banked_until      TIMESTAMPTZ,
  banked_open_ended BOOLEAN NOT NULL DEFAULT FALSE,
  merged_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE legacy_merges;
