// Admin tools: the gate and audit log every admin action passes through, /admin commands, Temporal queue figures.
export { admit, isAdmin, type Gate } from './auth';
export { readQueues, type QueueStats, type QueuesReport } from './client';
export { createAdminComposer, parseUserQuery, type AdminBilling, type AdminComposerDeps } from './composer';
export {
  createAdminRepository,
  type AdminRepository,
  type AdminStats,
  type AuditEntry,
  type AuditResult,
  type AuditRow,
} from './repository';
