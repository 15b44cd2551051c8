// Shapes used by the Telegram Bot API emulator: the wire objects it returns (a practical subset of the
// Bot API types) and the records it keeps for tests.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Params = Record<string, unknown>;

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';
export type MemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** A simulated human user (is_bot is always false). */
export interface SimUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
}

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
  user?: TgUser;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [key: string]: unknown;
}

export interface ReplyMarkup {
  inline_keyboard?: InlineButton[][];
  keyboard?: unknown[][];
  remove_keyboard?: boolean;
  force_reply?: boolean;
  [key: string]: unknown;
}

export interface PhotoRecord {
  fileId: string;
  fileUniqueId: string;
  /** Bytes uploaded; 0 when the bot passed a URL. */
  sizeBytes: number;
  width: number;
  height: number;
  source: 'upload' | 'url' | 'file_id';
  url?: string;
  filename?: string;
}

export interface InvoiceRecord {
  title: string;
  description: string;
  payload: string;
  currency: string;
  prices: { label: string; amount: number }[];
  totalAmount: number;
  providerToken: string;
  startParameter: string;
}

export interface SuccessfulPayment {
  currency: string;
  total_amount: number;
  invoice_payload: string;
  telegram_payment_charge_id: string;
  provider_payment_charge_id: string;
  [key: string]: Json | undefined;
}

export interface EditRecord {
  date: number;
  text?: string;
  rawText?: string;
  caption?: string;
  replyMarkup?: ReplyMarkup;
}

export interface StoredMessage {
  chatId: number;
  messageId: number;
  from: 'bot' | 'user';
  sender: TgUser;
  /** Set when the message was sent on behalf of a chat (an anonymous group admin): Bot API `sender_chat`. */
  senderChatId?: number;
  date: number;
  /** What the user sees: tags stripped, HTML entities decoded, trimmed like Telegram does. */
  text?: string;
  /** Exactly the text the bot sent (before parse_mode processing). */
  rawText?: string;
  /** The text as first sent, before any edit. */
  originalText?: string;
  parseMode?: string;
  entities?: MessageEntity[];
  caption?: string;
  rawCaption?: string;
  captionEntities?: MessageEntity[];
  photo?: PhotoRecord;
  invoice?: InvoiceRecord;
  successfulPayment?: SuccessfulPayment;
  replyMarkup?: ReplyMarkup;
  replyToMessageId?: number;
  edits: EditRecord[];
  editCount: number;
  editDate?: number;
  deleted: boolean;
  /** For messages injected as a simulated user: the update that carried it. */
  updateId?: number;
  /** For copyMessage results: the original message. */
  copiedFrom?: { chatId: number; messageId: number };
}

export interface Update {
  update_id: number;
  [type: string]: unknown;
}

export interface ApiErrorShape {
  error_code: number;
  description: string;
  retry_after?: number;
}

export interface ApiCall {
  seq: number;
  at: number;
  method: string;
  params: Params;
  /** Uploaded files (multipart), by form field name. */
  files?: { field: string; filename?: string; size: number }[];
  ok: boolean;
  /** It took effect, but the emulator dropped the connection instead of answering (dropAfterAccept, storms). */
  dropped?: boolean;
  /** HTTP status / error_code (200 on success). */
  status: number;
  description?: string;
  result?: unknown;
  durationMs: number;
}

export interface CallbackAnswer {
  callbackQueryId: string;
  chatId?: number;
  messageId?: number;
  data?: string;
  answered: boolean;
  answeredAt?: number;
  text?: string;
  showAlert?: boolean;
  url?: string;
  cacheTime?: number;
}

export interface InlineAnswer {
  inlineQueryId: string;
  query: string;
  answered: boolean;
  /** Epoch ms of the query and of the bot's answer (Telegram drops answers that come too late). */
  createdAt?: number;
  answeredAt?: number;
  results?: unknown[];
  /** Each result as the user sees it: title, description, and the message it sends (text after parse_mode). */
  shown?: Array<{
    id: string;
    type: string;
    title?: string;
    description?: string;
    text?: string;
    rawText?: string;
  }>;
  nextOffset?: string;
  cacheTime?: number;
  isPersonal?: boolean;
  button?: Record<string, unknown>;
}

/** A Telegram Stars payment the bot received. */
export interface StarCharge {
  chargeId: string;
  userId: number;
  user: TgUser;
  amount: number;
  invoicePayload: string;
  paidAt: number;
  refundedAt?: number;
}

/** One line of the bot's Stars history: an incoming invoice payment, or its refund (same id as the charge). */
export interface StarTransactionEntry {
  chargeId: string;
  kind: 'payment' | 'refund';
}

export interface PreCheckoutAnswer {
  preCheckoutQueryId: string;
  from: TgUser;
  currency: string;
  totalAmount: number;
  invoicePayload: string;
  answered: boolean;
  ok?: boolean;
  errorMessage?: string;
  answeredAt?: number;
}

export interface ChatActionRecord {
  chatId: number;
  action: string;
  at: number;
}

export interface WebhookDelivery {
  updateId: number;
  attempt: number;
  url: string;
  at: number;
  secretTokenSent: boolean;
  /** HTTP status of the bot's answer; undefined when the connection failed or timed out. */
  status?: number;
  /** When the bot's answer arrived (ms since the epoch). */
  answeredAt?: number;
  responseBody?: string;
  error?: string;
  ok: boolean;
  gaveUp: boolean;
}

export interface WebhookConfig {
  url: string;
  secretToken?: string;
  maxConnections: number;
  allowedUpdates?: string[];
  setAt: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

export interface BotCommand {
  command: string;
  description: string;
}
