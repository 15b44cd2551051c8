-- Up Migration

-- Referrals reward real users only (docs/billing.md, "Referrals").
-- Every FACEIT player a Telegram user ever linked: unlinking removes faceit_accounts' row, not this one, so "the
-- referrer's own player" still holds after the referrer unlinked it.
CREATE TABLE faceit_link_history (
  telegram_id      BIGINT NOT NULL,
  faceit_player_id TEXT NOT NULL,
  first_linked_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (telegram_id, faceit_player_id)
);
CREATE INDEX faceit_link_history_player_idx ON faceit_link_history (faceit_player_id);
INSERT INTO faceit_link_history (telegram_id, faceit_player_id, first_linked_at)
  SELECT telegram_id, faceit_player_id, linked_at FROM faceit_accounts ON CONFLICT DO NOTHING;
-- Written by the database on every link, whoever writes faceit_accounts (the bot, the legacy migration).
CREATE FUNCTION faceit_link_history_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO faceit_link_history (telegram_id, faceit_player_id)
  VALUES (NEW.telegram_id, NEW.faceit_player_id) ON CONFLICT DO NOTHING;
  RETURN NEW;
END $$;
CREATE TRIGGER faceit_link_history_record AFTER INSERT OR UPDATE OF faceit_player_id ON faceit_accounts
  FOR EACH ROW EXECUTE FUNCTION faceit_link_history_record();

-- One referral reward per FACEIT player, ever: the player a reward was decided on (rewarded, or refused as the
-- referrer's own) is kept here whatever happens to the users, their links or their referral rows.
CREATE TABLE referral_players (
  faceit_player_id TEXT PRIMARY KEY,
  referred_id      BIGINT NOT NULL,
  referrer_id      BIGINT NOT NULL,
  outcome          TEXT NOT NULL CHECK (outcome IN ('rewarded', 'own-player')),
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO referral_players (faceit_player_id, referred_id, referrer_id, outcome, created_at)
  SELECT faceit_player_id, referred_id, referrer_id, 'rewarded', rewarded_at FROM referrals
  WHERE faceit_player_id IS NOT NULL ON CONFLICT DO NOTHING;

-- When the referrer was credited for this referral (the monthly cap counts these); NULL: not (capped, or none).
ALTER TABLE referrals ADD COLUMN referrer_rewarded_at TIMESTAMPTZ;
UPDATE referrals SET referrer_rewarded_at = rewarded_at WHERE faceit_player_id IS NOT NULL;
CREATE INDEX referrals_referrer_rewarded_idx ON referrals (referrer_id, referrer_rewarded_at)
  WHERE referrer_rewarded_at IS NOT NULL;

-- Down Migration

DROP INDEX referrals_referrer_rewarded_idx;
ALTER TABLE referrals DROP COLUMN referrer_rewarded_at;
DROP TABLE referral_players;
DROP TRIGGER faceit_link_history_record ON faceit_accounts;
DROP FUNCTION faceit_link_history_record();
DROP TABLE faceit_link_history;
