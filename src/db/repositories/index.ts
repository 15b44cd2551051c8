import type { DatabasePool } from 'slonik';
import { createAuditLogRepository } from './audit-log';
import { createEloSnapshotsRepository } from './elo-snapshots';
import { createFaceitAccountsRepository } from './faceit-accounts';
import { createReferralsRepository } from './referrals';
import { createSubscriptionsRepository } from './subscriptions';
import { createUsageRepository } from './usage';
import { createUsersRepository } from './users';

/** All repositories over one pool; slices take the ones they need. */
export function createRepositories(pool: DatabasePool) {
  return {
    users: createUsersRepository(pool),
    faceitAccounts: createFaceitAccountsRepository(pool),
    subscriptions: createSubscriptionsRepository(pool),
    usage: createUsageRepository(pool),
    referrals: createReferralsRepository(pool),
    auditLog: createAuditLogRepository(pool),
    eloSnapshots: createEloSnapshotsRepository(pool),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
