export { startFaceitEmulator, type FaceitEmulator, type FaceitEmulatorOptions } from './server';
export type { EmulatorControl, PlayerCriteria, PlayerSummary } from './control';
export type { CreateLobbyOptions, FinishOptions, LobbyInfo, LobbyPlayerInfo } from './lobbies';
export { createDemoLobbies, type DemoLobby } from './demo';
export type { FaultConfig } from './faults';
export type { RequestCounts, RequestLogEntry } from './request-log';
export type { RateLimitOptions } from './rate-window';
export {
  DEFAULT_WEBHOOK_HEADER,
  type WebhookConfig,
  type WebhookDelivery,
  type WebhookEvent,
} from './webhooks';
export type { MatchStatus } from './world';
