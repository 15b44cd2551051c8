import { startBotWorld, type BotWorld } from './harness';
describe('print', () => {
  let w: BotWorld;
  beforeAll(async () => { w = await startBotWorld(); });
  afterAll(() => w?.stop());
  it('prints', async () => {
    const [p, q] = w.faceit.control.findPlayers({ minMatches: 120, hasCs2: true, limit: 2 });
    for (const lang of ['en'] as const) {
      const u = w.user(lang);
      await w.start(u);
      await w.send(u, p.nickname);
      for (const cmd of ['/matches 3', '/form 100', '/profile', '/matches 3', '/last', '/form', `/compare ${q.nickname}`, '/settings', '/help', 'hello']) await w.send(u, cmd);
      console.log(w.tg.transcript(u.id));
    }
  });
});
