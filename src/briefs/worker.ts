// Pre-match briefs as the worker process takes them (the activity registry): the sender, without the bot's
// composer (src/briefs/index.ts), so a worker does not load it.
export { createBriefSender } from './sender';
