import type { ApiErrorShape } from './types';

/** A Bot API error, serialised exactly like Telegram: `{ ok: false, error_code, description, parameters? }`. */
export class TgApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
  }

  toJSON(): Record<string, unknown> {
    return {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }

  static from(shape: ApiErrorShape): TgApiError {
    const params = shape.retry_after !== undefined ? { retry_after: shape.retry_after } : undefined;
    return new TgApiError(shape.error_code, shape.description, params);
  }
}

export const badRequest = (what: string): TgApiError => new TgApiError(400, `Bad Request: ${what}`);
export const forbidden = (what: string): TgApiError => new TgApiError(403, `Forbidden: ${what}`);
export const conflict = (what: string): TgApiError => new TgApiError(409, `Conflict: ${what}`);
export const tooManyRequests = (retryAfter: number): TgApiError =>
  new TgApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
export const unauthorized = (): TgApiError => new TgApiError(401, 'Unauthorized');
export const methodNotFound = (): TgApiError => new TgApiError(404, 'Not Found: method not found');

export const ERR = {
  chatNotFound: () => badRequest('chat not found'),
  chatIdEmpty: () => badRequest('chat_id is empty'),
  textEmpty: () => badRequest('message text is empty'),
  textTooLong: () => badRequest('message is too long'),
  captionTooLong: () => badRequest('message caption is too long'),
  notModified: () =>
    badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    ),
  editNotFound: () => badRequest('message to edit not found'),
  deleteNotFound: () => badRequest('message to delete not found'),
  cantEdit: () => badRequest("message can't be edited"),
  cantDelete: () => badRequest("message can't be deleted"),
  cantDeleteForEveryone: () => badRequest("message can't be deleted for everyone"),
  queryTooOld: () => badRequest('query is too old and response timeout expired or query ID is invalid'),
  blocked: () => forbidden('bot was blocked by the user'),
  webhookActive: () =>
    conflict(
      "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    ),
  terminatedByOther: () =>
    conflict('terminated by other getUpdates request; make sure that only one bot instance is running'),
} as const;
