-- Up Migration

-- Monitoring (src/monitoring): a player whose checks keep failing (unknown on FACEIT, bad data) is backed off
-- instead of being retried every cycle; the last error is kept for operators.
ALTER TABLE player_watch
  ADD COLUMN failures   INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  ADD COLUMN last_error TEXT;

-- Why a claimed notification ended as failed (blocked chat, Telegram error), for operators.
ALTER TABLE notifications_sent ADD COLUMN error TEXT;

-- Down Migration

ALTER TABLE notifications_sent DROP COLUMN error;
ALTER TABLE player_watch DROP COLUMN last_error, DROP COLUMN failures;
