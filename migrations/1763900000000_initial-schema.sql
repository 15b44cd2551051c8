-- Up Migration

-- Telegram users. Ids exceed 2^31: BIGINT everywhere a Telegram id is stored.
CREATE TABLE users (
  telegram_id           BIGINT PRIMARY KEY CHECK (telegram_id > 0),
  username              TEXT,
  first_name            TEXT,
  language              TEXT NOT NULL DEFAULT 'ru' CHECK (language IN ('ru', 'en')),
  timezone              TEXT NOT NULL DEFAULT 'Europe/Moscow',
  notifications_enabled BOOLEAN NOT NULL DEFAULT TRUE,
  awaiting_nickname     BOOLEAN NOT NULL DEFAULT FALSE,
  total_requests        INTEGER NOT NULL DEFAULT 0 CHECK (total_requests >= 0),
  -- Referral code: 8 upper-case hex in the legacy bot; links with it are out in the wild and must keep working.
  referral_code         TEXT UNIQUE CHECK (referral_code ~ '^[A-Z0-9]{4,16}$'),
  -- Count the legacy bot kept; new referrals are counted from the referrals table.
  legacy_referrals_count INTEGER NOT NULL DEFAULT 0 CHECK (legacy_referrals_count >= 0),
  -- Set when Telegram answers 403 (bot blocked): broadcasts and notifications skip the user.
  blocked_at            TIMESTAMPTZ,
  created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_active_at        TIMESTAMPTZ,
  updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX users_last_active_idx ON users (last_active_at);

-- One linked FACEIT account per Telegram user; several users may link the same player.
CREATE TABLE faceit_accounts (
  telegram_id      BIGINT PRIMARY KEY REFERENCES users (telegram_id) ON DELETE CASCADE,
  faceit_player_id TEXT NOT NULL CHECK (length(faceit_player_id) BETWEEN 1 AND 64),
  nickname         TEXT NOT NULL CHECK (length(nickname) BETWEEN 1 AND 64),
  steam_id64       TEXT CHECK (steam_id64 ~ '^[0-9]{17}$'),
  linked_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX faceit_accounts_player_idx ON faceit_accounts (faceit_player_id);

-- The current subscription of a user; no row = FREE. Tiers also pick the task queue of the user's requests.
CREATE TABLE subscriptions (
  telegram_id BIGINT PRIMARY KEY REFERENCES users (telegram_id) ON DELETE CASCADE,
  tier        TEXT NOT NULL CHECK (tier IN ('free', 'premium', 'pro')),
  expires_at  TIMESTAMPTZ,
  auto_renew  BOOLEAN NOT NULL DEFAULT FALSE,
  source      TEXT CHECK (source IN ('telegram_stars', 'referral_bonus', 'admin_grant', 'legacy')),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_expiry_idx ON subscriptions (expires_at) WHERE tier <> 'free';

-- Daily analysis usage, per user and calendar day (in the user's time zone); the quota check is one atomic upsert.
CREATE TABLE daily_usage (
  telegram_id BIGINT NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
  day         DATE NOT NULL,
  analyses    INTEGER NOT NULL DEFAULT 0 CHECK (analyses >= 0),
  PRIMARY KEY (telegram_id, day)
);

-- Telegram Stars payments: credited exactly once per telegram_payment_charge_id.
CREATE TABLE payments (
  id                         BIGSERIAL PRIMARY KEY,
  telegram_id                BIGINT NOT NULL REFERENCES users (telegram_id),
  telegram_payment_charge_id TEXT NOT NULL UNIQUE,
  provider_payment_charge_id TEXT,
  currency                   TEXT NOT NULL CHECK (currency = 'XTR'),
  amount                     INTEGER NOT NULL CHECK (amount > 0),
  tier                       TEXT NOT NULL CHECK (tier IN ('premium', 'pro')),
  period                     TEXT NOT NULL CHECK (period IN ('month', 'year')),
  invoice_payload            TEXT NOT NULL,
  expires_at                 TIMESTAMPTZ NOT NULL,
  refunded_at                TIMESTAMPTZ,
  created_at                 TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payments_user_idx ON payments (telegram_id, created_at DESC);

-- Who brought whom: one referrer per user, never oneself. The referrer may be absent from users
-- (a legacy referrer missing from data.json is kept as a dangling reference, not invented): no foreign key there.
CREATE TABLE referrals (
  referred_id BIGINT PRIMARY KEY REFERENCES users (telegram_id) ON DELETE CASCADE,
  referrer_id BIGINT NOT NULL CHECK (referrer_id > 0),
  code        TEXT,
  rewarded_at TIMESTAMPTZ,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (referrer_id <> referred_id)
);
CREATE INDEX referrals_referrer_idx ON referrals (referrer_id);

-- Chats that receive notifications: private chats (chat id = user id) and groups (negative ids).
CREATE TABLE chats (
  chat_id               BIGINT PRIMARY KEY CHECK (chat_id <> 0),
  type                  TEXT NOT NULL CHECK (type IN ('private', 'group', 'supergroup', 'channel')),
  title                 TEXT,
  language              TEXT NOT NULL DEFAULT 'ru' CHECK (language IN ('ru', 'en')),
  notifications_enabled BOOLEAN NOT NULL DEFAULT TRUE,
  blocked_at            TIMESTAMPTZ,
  created_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Players tracked by a chat, with the chat's cursor: the newest finished match already handled.
-- A NULL cursor with NULL last_checked_at means "never seen": the first check only sets the cursor.
CREATE TABLE tracked_players (
  chat_id                BIGINT NOT NULL REFERENCES chats (chat_id) ON DELETE CASCADE,
  faceit_player_id       TEXT NOT NULL,
  nickname               TEXT NOT NULL,
  added_by               BIGINT,
  cursor_match_id        TEXT,
  cursor_finished_at     TIMESTAMPTZ,
  last_checked_at        TIMESTAMPTZ,
  created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (chat_id, faceit_player_id)
);
CREATE INDEX tracked_players_player_idx ON tracked_players (faceit_player_id);

-- Per-player polling state shared by all chats tracking the player: one FACEIT call per player per check,
-- and an adaptive next check (recently active players more often than dormant ones).
CREATE TABLE player_watch (
  faceit_player_id TEXT PRIMARY KEY,
  last_match_id    TEXT,
  last_played_at   TIMESTAMPTZ,
  last_checked_at  TIMESTAMPTZ,
  next_check_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX player_watch_due_idx ON player_watch (next_check_at);

-- Exactly one notification per (chat, match, kind), whatever retries or crashes happen.
CREATE TABLE notifications_sent (
  chat_id             BIGINT NOT NULL,
  match_id            TEXT NOT NULL,
  kind                TEXT NOT NULL CHECK (kind IN ('match_finished', 'match_ready', 'analysis_report', 'broadcast')),
  faceit_player_id    TEXT,
  status              TEXT NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'sent', 'failed')),
  telegram_message_id BIGINT,
  claimed_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  sent_at             TIMESTAMPTZ,
  PRIMARY KEY (chat_id, match_id, kind)
);

-- Lobby analyses: the prediction made before the match and, once known, the outcome (for /accuracy).
CREATE TABLE match_analyses (
  match_id                 TEXT PRIMARY KEY,
  workflow_id              TEXT NOT NULL,
  status                   TEXT NOT NULL CHECK (status IN ('running', 'completed', 'refused', 'cancelled', 'failed')),
  map                      TEXT,
  faction1_name            TEXT,
  faction2_name            TEXT,
  faction1_avg_elo         INTEGER,
  faction2_avg_elo         INTEGER,
  faction1_win_probability NUMERIC(5, 4) CHECK (faction1_win_probability BETWEEN 0 AND 1),
  predicted_winner         TEXT CHECK (predicted_winner IN ('faction1', 'faction2')),
  actual_winner            TEXT CHECK (actual_winner IN ('faction1', 'faction2')),
  outcome_recorded_at      TIMESTAMPTZ,
  faceit_calls             INTEGER CHECK (faceit_calls >= 0),
  refusal_reason           TEXT,
  result                   JSONB,
  started_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
  completed_at             TIMESTAMPTZ,
  CHECK (actual_winner IS NULL OR predicted_winner IS NOT NULL)
);
CREATE INDEX match_analyses_pending_outcome_idx ON match_analyses (completed_at)
  WHERE status = 'completed' AND actual_winner IS NULL;

-- Each user request for an analysis (several per match when requesters join one analysis).
CREATE TABLE analysis_requests (
  id                  BIGSERIAL PRIMARY KEY,
  match_id            TEXT NOT NULL,
  telegram_id         BIGINT NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
  chat_id             BIGINT NOT NULL,
  progress_message_id BIGINT,
  tier                TEXT NOT NULL CHECK (tier IN ('free', 'premium', 'pro')),
  usage_day           DATE NOT NULL,
  status              TEXT NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'delivered', 'cancelled', 'refused', 'failed')),
  created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at         TIMESTAMPTZ,
  UNIQUE (chat_id, progress_message_id)
);
CREATE INDEX analysis_requests_match_idx ON analysis_requests (match_id);
CREATE INDEX analysis_requests_user_idx ON analysis_requests (telegram_id, created_at DESC);

-- ELO seen by the bot (monitoring, profile, analysis): the data behind ELO deltas and ELO charts.
CREATE TABLE player_elo_snapshots (
  faceit_player_id TEXT NOT NULL,
  elo              INTEGER NOT NULL CHECK (elo BETWEEN 0 AND 10000),
  level            SMALLINT CHECK (level BETWEEN 1 AND 10),
  source           TEXT NOT NULL CHECK (source IN ('monitoring', 'profile', 'analysis', 'link', 'webhook')),
  match_id         TEXT,
  observed_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (faceit_player_id, observed_at)
);

-- Legacy data.json migrations: one row per run, its checkpoint and final report.
CREATE TABLE migration_runs (
  run_id      TEXT PRIMARY KEY,
  file_path   TEXT NOT NULL,
  file_size   BIGINT NOT NULL CHECK (file_size >= 0),
  file_sha256 TEXT,
  dry_run     BOOLEAN NOT NULL DEFAULT FALSE,
  status      TEXT NOT NULL CHECK (status IN ('running', 'paused', 'completed', 'failed')),
  checkpoint  JSONB NOT NULL DEFAULT '{}',
  report      JSONB,
  started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ
);

-- Records that could not be migrated, with where they were, what they were and why.
CREATE TABLE migration_rejects (
  run_id      TEXT NOT NULL REFERENCES migration_runs (run_id) ON DELETE CASCADE,
  position    INTEGER NOT NULL CHECK (position >= 0),
  byte_offset BIGINT NOT NULL CHECK (byte_offset >= 0),
  raw         TEXT NOT NULL,
  reason      TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, position)
);

-- Every admin action, authorised or refused.
CREATE TABLE admin_audit_log (
  id                 BIGSERIAL PRIMARY KEY,
  admin_telegram_id  BIGINT NOT NULL,
  action             TEXT NOT NULL,
  target_telegram_id BIGINT,
  details            JSONB NOT NULL DEFAULT '{}',
  authorized         BOOLEAN NOT NULL DEFAULT TRUE,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX admin_audit_log_created_idx ON admin_audit_log (created_at DESC);
CREATE INDEX admin_audit_log_target_idx ON admin_audit_log (target_telegram_id) WHERE target_telegram_id IS NOT NULL;

-- Broadcasts run as workflows; one delivery row per recipient makes them resumable and exactly-once.
CREATE TABLE broadcasts (
  id                BIGSERIAL PRIMARY KEY,
  admin_telegram_id BIGINT NOT NULL,
  text              TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4096),
  workflow_id       TEXT UNIQUE,
  status            TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'cancelled', 'failed')),
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at       TIMESTAMPTZ
);
CREATE TABLE broadcast_deliveries (
  broadcast_id BIGINT NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
  telegram_id  BIGINT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('sent', 'blocked', 'failed')),
  delivered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (broadcast_id, telegram_id)
);

-- Down Migration

DROP TABLE broadcast_deliveries;
DROP TABLE broadcasts;
DROP TABLE admin_audit_log;
DROP TABLE migration_rejects;
DROP TABLE migration_runs;
DROP TABLE player_elo_snapshots;
DROP TABLE analysis_requests;
DROP TABLE match_analyses;
DROP TABLE notifications_sent;
DROP TABLE player_watch;
DROP TABLE tracked_players;
DROP TABLE chats;
DROP TABLE referrals;
DROP TABLE payments;
DROP TABLE daily_usage;
DROP TABLE subscriptions;
DROP TABLE faceit_accounts;
DROP TABLE users;
