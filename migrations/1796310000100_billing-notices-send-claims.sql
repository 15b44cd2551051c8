-- Up Migration

-- Billing's messages (payment confirmations, renewal reminders, downgrades, refunds, referral rewards) move onto the
-- shared send claims (README "Delivery guarantees"): a claim left by a crash before the send is taken over after its
-- lease instead of being lost, and a lost answer is resent and counted. The key is '<notice kind>:<notice key>'.
-- billing_notices stays as the record of what was sent before: a notice found there is never sent again.
ALTER TABLE notifications_sent DROP CONSTRAINT notifications_sent_kind_check;
ALTER TABLE notifications_sent ADD CONSTRAINT notifications_sent_kind_check
  CHECK (kind IN ('match_finished', 'match_ready', 'analysis_report', 'broadcast', 'brief', 'billing'));

-- Down Migration

DELETE FROM notifications_sent WHERE kind = 'billing';
ALTER TABLE notifications_sent DROP CONSTRAINT notifications_sent_kind_check;
ALTER TABLE notifications_sent ADD CONSTRAINT notifications_sent_kind_check
  CHECK (kind IN ('match_finished', 'match_ready', 'analysis_report', 'broadcast', 'brief'));
