-- Up Migration

-- Telegram updates a bot replica accepted in webhook mode (docs/delivery.md "Updates from Telegram"). The webhook
-- answers 200 only after this one insert; the key refuses Telegram's redeliveries (to this replica or another) for
-- BOT_UPDATE_RETENTION_HOURS. Each lane (one user, or one chat) is handled in update_id order: only a lane's oldest
-- open update can be claimed, by one replica at a time (lease_until, renewed while its handler runs); a replica that
-- dies leaves its lease to run out, and another replica takes the update over.
CREATE TABLE telegram_updates (
  bot_id bigint NOT NULL,
  update_id bigint NOT NULL,
  lane text NOT NULL,
  -- The update as Telegram sent it; cleared once handled (only the id is kept, to refuse redeliveries).
  payload jsonb,
  received_at timestamptz NOT NULL DEFAULT now(),
  -- The replica that stored it starts it; the others' sweeps leave it to that replica for one lease.
  accepted_by text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  -- Tries put back because a dependency was unreachable before any reply (they do not count as attempts).
  retries integer NOT NULL DEFAULT 0,
  claimed_by text,
  lease_until timestamptz,
  done_at timestamptz,
  outcome text CHECK (outcome IN ('handled', 'failed', 'abandoned')),
  error text,
  PRIMARY KEY (bot_id, update_id)
);

CREATE INDEX telegram_updates_open ON telegram_updates (bot_id, lane, update_id) WHERE done_at IS NULL;
CREATE INDEX telegram_updates_done ON telegram_updates (done_at) WHERE done_at IS NOT NULL;

-- Down Migration

DROP TABLE telegram_updates;
