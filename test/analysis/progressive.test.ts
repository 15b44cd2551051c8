import { startBotWorld, textOf, type BotWorld } from '../bot/harness';

/**
 * The progressive report: the progress message shows both rosters with levels and the map as soon as the match is
 * in, and fills each player's line as their stats arrive, well before the full report replaces it.
 */

jest.setTimeout(120_000);

describe('progressive report', () => {
  let w: BotWorld;
  beforeAll(async () => {
    // Slow FACEIT answers, so the fan-out takes a few seconds and its intermediate states are visible.
    w = await startBotWorld({ faceit: { latencyMs: 400 } });
  });
  afterAll(() => w?.stop());

  it('rosters and map first, then each player line, then the report', async () => {
    const lobby = await w.faceit.control.createLobby({ status: 'READY', map: 'de_mirage' });
    const user = w.user('en');
    const sent = Date.now();
    const progress = await w.send(user, lobby.roomUrl);
    const versions: Array<{ at: number; text: string }> = [];
    const seen = () => {
      const m = w.tg.message(progress.chatId, progress.messageId);
      const text = textOf(m);
      if (versions.at(-1)?.text !== text) versions.push({ at: Date.now(), text });
      return text;
    };
    const players = [...lobby.teams.faction1.players, ...lobby.teams.faction2.players];
    // The rosters: every nickname with its level, and the map, while players are still pending ("…").
    const rosters = await w.tg.waitFor(
      () => {
        const text = seen();
        return players.every((p) => text.includes(p.nickname)) ? text : undefined;
      },
      { timeoutMs: 30_000, describe: () => w.tg.transcript(progress.chatId) },
    );
    const firstRosterMs = Date.now() - sent;
    expect(rosters).toContain('🗺 Mirage');
    expect(rosters).toContain(lobby.teams.faction1.name);
    expect(rosters).toContain(`${players[0].nickname} (lvl ${players[0].level})`);
    expect(rosters).toMatch(/— …/);
    // Lines fill in: some players have figures while the bar is not full yet.
    await w.tg.waitFor(
      () => {
        const text = seen();
        return /ELO · K\/D \d\.\d\d · ADR \d+\.\d/.test(text) && /— …/.test(text) ? text : undefined;
      },
      { timeoutMs: 30_000, describe: () => w.tg.transcript(progress.chatId) },
    );
    // Then the report replaces it.
    await w.tg.waitFor(() => (seen().includes('Lobby analysis') ? true : undefined), {
      timeoutMs: 60_000,
      describe: () => w.tg.transcript(progress.chatId),
    });
    console.log(
      `first roster content after ${firstRosterMs} ms; progress versions: ${versions.length}, report after ${
        versions.at(-1)!.at - sent
      } ms`,
    );
  });
});
