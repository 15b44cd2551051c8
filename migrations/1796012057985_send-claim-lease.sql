-- Up Migration

-- Sends to Telegram are claimed in two steps (README "Delivery guarantees"): 'claimed' (the right to send) and
-- 'sending' (the HTTP request is about to leave). A claim past its lease is taken over while still 'claimed' (the
-- send certainly did not happen) and becomes 'uncertain' when it was 'sending' (it may have been delivered: counted,
-- never resent). The token names the attempt holding the claim, so an attempt that lost its claim never sends.
ALTER TABLE notifications_sent DROP CONSTRAINT notifications_sent_status_check;
ALTER TABLE notifications_sent
  ADD CONSTRAINT notifications_sent_status_check
    CHECK (status IN ('claimed', 'sending', 'sent', 'failed', 'uncertain')),
  ADD COLUMN claim_token TEXT,
  ADD COLUMN in_doubt    BOOLEAN NOT NULL DEFAULT false;

-- Down Migration

UPDATE notifications_sent SET status = 'claimed' WHERE status IN ('sending', 'uncertain');
ALTER TABLE notifications_sent DROP COLUMN claim_token, DROP COLUMN in_doubt;
ALTER TABLE notifications_sent DROP CONSTRAINT notifications_sent_status_check;
ALTER TABLE notifications_sent
  ADD CONSTRAINT notifications_sent_status_check CHECK (status IN ('claimed', 'sent', 'failed'));
