/**
 * The update validators' checks of a join's requester and a cancel's reference (workflow-safe: no library). The
 * client checks the same rules with zod before calling; these hold the line against any other caller (an old or a
 * hand-written client, `temporal workflow update`), and a refused update never enters the history.
 */

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isText = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

/** What is wrong with a cancel's reference, or null. */
export function refProblem(ref: unknown): string | null {
  if (typeof ref !== 'object' || ref === null) return 'expected an object';
  const r = ref as Record<string, unknown>;
  if (!isInt(r.telegramId) || r.telegramId <= 0) return 'telegramId must be a positive integer';
  if (!isInt(r.chatId) || r.chatId === 0) return 'chatId must be a non-zero integer';
  if (!isInt(r.progressMessageId) || r.progressMessageId <= 0)
    return 'progressMessageId must be a positive integer';
  return null;
}

/** What is wrong with a join's requester, or null. */
export function requesterProblem(requester: unknown): string | null {
  const refIssue = refProblem(requester);
  if (refIssue) return refIssue;
  const r = requester as Record<string, unknown>;
  if (r.locale !== 'ru' && r.locale !== 'en') return 'locale must be ru or en';
  if (r.tier !== 'free' && r.tier !== 'premium' && r.tier !== 'pro')
    return 'tier must be free, premium or pro';
  if (typeof r.usageDay !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(r.usageDay))
    return 'usageDay must be YYYY-MM-DD';
  if (r.faceitPlayerId != null && !isText(r.faceitPlayerId, 64))
    return 'faceitPlayerId must be 1-64 characters';
  if (r.brief !== undefined) {
    const brief = r.brief as Record<string, unknown> | null;
    if (typeof brief !== 'object' || brief === null || !isText(brief.nickname, 64))
      return 'brief.nickname must be 1-64 characters';
  }
  return null;
}
