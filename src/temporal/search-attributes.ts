import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes, so operators find workflows in the Web UI by Telegram user, match, plan or player. */
export const TelegramUserId = defineSearchAttributeKey('TelegramUserId', SearchAttributeType.INT);
export const MatchId = defineSearchAttributeKey('MatchId', SearchAttributeType.KEYWORD);
/** The requester's subscription plan (free / premium / pro), which also picks the task queue. */
export const Plan = defineSearchAttributeKey('Plan', SearchAttributeType.KEYWORD);
export const FaceitPlayerId = defineSearchAttributeKey('FaceitPlayerId', SearchAttributeType.KEYWORD);
/** The legacy file being migrated and the migration's phase. */
export const MigrationFile = defineSearchAttributeKey('MigrationFile', SearchAttributeType.KEYWORD);
export const MigrationPhase = defineSearchAttributeKey('MigrationPhase', SearchAttributeType.KEYWORD);
/** The broadcast (broadcasts.id) a broadcast workflow sends: `BroadcastId = 12` in the Web UI. */
export const BroadcastId = defineSearchAttributeKey('BroadcastId', SearchAttributeType.INT);

/** Name → CLI type, for `temporal server start-dev --search-attribute` and `temporal operator search-attribute create`. */
export const SEARCH_ATTRIBUTES: Record<string, 'Int' | 'Keyword'> = {
  TelegramUserId: 'Int',
  MatchId: 'Keyword',
  Plan: 'Keyword',
  FaceitPlayerId: 'Keyword',
  MigrationFile: 'Keyword',
  MigrationPhase: 'Keyword',
  BroadcastId: 'Int',
};
