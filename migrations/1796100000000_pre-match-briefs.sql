-- Up Migration

-- Pre-match briefs (src/briefs): a chat that tracks players may get the lobby analysis of their match as soon as it
-- starts. NULL = never chosen (off; /track of one's own account in a private chat turns it on), TRUE/FALSE = chosen.
ALTER TABLE chats ADD COLUMN auto_brief BOOLEAN;

-- One brief per (chat, match): a new kind of the exactly-once claims. A brief's message is handed to the shared
-- analysis once (analysis_requested_at) and edited with the result once the match is over (result_edited_at).
ALTER TABLE notifications_sent DROP CONSTRAINT notifications_sent_kind_check;
ALTER TABLE notifications_sent ADD CONSTRAINT notifications_sent_kind_check
  CHECK (kind IN ('match_finished', 'match_ready', 'analysis_report', 'broadcast', 'brief'));
ALTER TABLE notifications_sent
  ADD COLUMN analysis_requested_at TIMESTAMPTZ,
  ADD COLUMN result_edited_at      TIMESTAMPTZ;
CREATE INDEX notifications_sent_brief_idx ON notifications_sent (match_id) WHERE kind = 'brief';

-- Down Migration

DROP INDEX notifications_sent_brief_idx;
ALTER TABLE notifications_sent DROP COLUMN result_edited_at, DROP COLUMN analysis_requested_at;
DELETE FROM notifications_sent WHERE kind = 'brief';
ALTER TABLE notifications_sent DROP CONSTRAINT notifications_sent_kind_check;
ALTER TABLE notifications_sent ADD CONSTRAINT notifications_sent_kind_check
  CHECK (kind IN ('match_finished', 'match_ready', 'analysis_report', 'broadcast'));
ALTER TABLE chats DROP COLUMN auto_brief;
