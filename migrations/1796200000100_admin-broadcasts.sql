-- Up Migration

-- Admin audit (src/admin): the outcome of every action — ok, refused (not an admin), not-found, invalid, error —
-- next to who (admin_telegram_id), what (action, details) and the target.
ALTER TABLE admin_audit_log ADD COLUMN result TEXT NOT NULL DEFAULT 'ok';

-- Broadcasts (src/broadcast): a draft with its audience is previewed, then confirmed and sent by a workflow.
-- Content is either text with the admin's formatting entities, or a copy of one of the admin's messages
-- (copyMessage keeps its formatting and media). The progress message is the one the workflow keeps editing.
ALTER TABLE broadcasts
  ALTER COLUMN text DROP NOT NULL,
  ALTER COLUMN status SET DEFAULT 'draft',
  ADD COLUMN entities            JSONB,
  ADD COLUMN source_chat_id      BIGINT,
  ADD COLUMN source_message_id   BIGINT,
  ADD COLUMN audience            JSONB NOT NULL DEFAULT '{}',
  ADD COLUMN progress_chat_id    BIGINT,
  ADD COLUMN progress_message_id BIGINT,
  ADD COLUMN total               INTEGER CHECK (total >= 0),
  ADD COLUMN report              JSONB,
  ADD COLUMN started_at          TIMESTAMPTZ;
ALTER TABLE broadcasts DROP CONSTRAINT broadcasts_status_check;
ALTER TABLE broadcasts ADD CONSTRAINT broadcasts_status_check
  CHECK (status IN ('draft', 'discarded', 'running', 'paused', 'completed', 'cancelled', 'failed'));
ALTER TABLE broadcasts ADD CONSTRAINT broadcasts_content_check
  CHECK (text IS NOT NULL OR (source_chat_id IS NOT NULL AND source_message_id IS NOT NULL));

-- One row per (broadcast, recipient), written when the broadcast starts (the audience is frozen then).
-- pending → claimed (committed BEFORE the send, with the attempt's token) → sent | blocked | failed.
-- A claim whose outcome was never recorded (the worker died while Telegram had the request) is never sent again:
-- it ends as 'uncertain' (delivered once or not at all, never twice). Recipients left when cancelled: 'cancelled'.
ALTER TABLE broadcast_deliveries DROP CONSTRAINT broadcast_deliveries_status_check;
ALTER TABLE broadcast_deliveries ADD CONSTRAINT broadcast_deliveries_status_check
  CHECK (status IN ('pending', 'claimed', 'sent', 'blocked', 'failed', 'uncertain', 'cancelled'));
ALTER TABLE broadcast_deliveries
  ALTER COLUMN status SET DEFAULT 'pending',
  ALTER COLUMN delivered_at DROP NOT NULL,
  ALTER COLUMN delivered_at DROP DEFAULT,
  ADD COLUMN claim_token         TEXT,
  ADD COLUMN claimed_at          TIMESTAMPTZ,
  ADD COLUMN attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  ADD COLUMN telegram_message_id BIGINT,
  ADD COLUMN error               TEXT;
CREATE INDEX broadcast_deliveries_pending_idx ON broadcast_deliveries (broadcast_id, telegram_id)
  WHERE status = 'pending';

-- Down Migration

DROP INDEX broadcast_deliveries_pending_idx;
DELETE FROM broadcast_deliveries WHERE status NOT IN ('sent', 'blocked', 'failed');
UPDATE broadcast_deliveries SET delivered_at = COALESCE(delivered_at, claimed_at, now());
ALTER TABLE broadcast_deliveries
  DROP COLUMN error, DROP COLUMN telegram_message_id, DROP COLUMN attempts, DROP COLUMN claimed_at,
  DROP COLUMN claim_token,
  ALTER COLUMN delivered_at SET DEFAULT now(),
  ALTER COLUMN delivered_at SET NOT NULL,
  ALTER COLUMN status DROP DEFAULT;
ALTER TABLE broadcast_deliveries DROP CONSTRAINT broadcast_deliveries_status_check;
ALTER TABLE broadcast_deliveries ADD CONSTRAINT broadcast_deliveries_status_check
  CHECK (status IN ('sent', 'blocked', 'failed'));
DELETE FROM broadcasts WHERE text IS NULL OR status NOT IN ('running', 'completed', 'cancelled', 'failed');
ALTER TABLE broadcasts DROP CONSTRAINT broadcasts_content_check;
ALTER TABLE broadcasts DROP CONSTRAINT broadcasts_status_check;
ALTER TABLE broadcasts ADD CONSTRAINT broadcasts_status_check
  CHECK (status IN ('running', 'completed', 'cancelled', 'failed'));
ALTER TABLE broadcasts
  DROP COLUMN started_at, DROP COLUMN report, DROP COLUMN total, DROP COLUMN progress_message_id,
  DROP COLUMN progress_chat_id, DROP COLUMN audience, DROP COLUMN source_message_id, DROP COLUMN source_chat_id,
  DROP COLUMN entities,
  ALTER COLUMN status SET DEFAULT 'running',
  ALTER COLUMN text SET NOT NULL;
ALTER TABLE admin_audit_log DROP COLUMN result;
