/**
 * Lobby intelligence (issue 23) on the real FACEIT bodies recorded in shared/faceit-api, parsed by the production
 * schemas and adapter: parties from the `Match Id` + `Team` of the recent matches already fetched, and new-account /
 * smurf signals said with their numbers, in both languages.
 */
import { analyzeLobby } from '../../src/analysis/model/analyze';
import {
  lifetimeFrom,
  matchInfoFrom,
  playerDetailsFrom,
  recentMatchesFrom,
} from '../../src/analysis/model/ingest';
import { teamParties } from '../../src/analysis/model/parties';
import { renderReport, renderSections } from '../../src/analysis/render';
import type { LobbyInput, MatchInfo, PlayerInput } from '../../src/analysis/model/types';
import {
  matchSchema,
  playerMatchStatsSchema,
  playerSchema,
  playerStatsSchema,
} from '../../src/faceit/schemas';
import { loadSample } from './samples';

type Json = Record<string, unknown>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const DAY = 86_400_000;

const realMatch = (): MatchInfo => matchInfoFrom(matchSchema.parse(clone(loadSample('match.json'))));
const items = (body: Json) => body.items as { stats: Record<string, unknown> }[];

/** The recorded 20-match window, as another player's: same matches, same side, unless told otherwise. */
function games(
  playerId: string,
  edit: (stats: Record<string, unknown>, index: number) => boolean | void = () => undefined,
): Json {
  const body = clone(loadSample('player_games_cs2_stats.json'));
  const kept = items(body).filter((item, i) => {
    item.stats['Player Id'] = playerId;
    item.stats['Nickname'] = playerId;
    return edit(item.stats, i) !== false;
  });
  body.items = kept;
  return body;
}
const recentOf = (body: Json) => recentMatchesFrom(playerMatchStatsSchema.parse(body));
/** A window nobody else in the lobby shares (other match ids). */
const stranger = (playerId: string) =>
  games(playerId, (s) => {
    s['Match Id'] = `${String(s['Match Id'])}-${playerId}`;
  });
const details = (edit: (p: Json) => void = () => undefined) => {
  const body = clone(loadSample('player.json'));
  edit(body);
  return playerDetailsFrom(playerSchema.parse(body));
};

function lobbyOf(
  windows: Record<string, Json>,
  extra: Record<string, Partial<PlayerInput>> = {},
): LobbyInput {
  const match = realMatch();
  const players: Record<string, PlayerInput> = {};
  for (const f of ['faction1', 'faction2'] as const) {
    for (const r of match.factions[f].roster) {
      players[r.playerId] = {
        details: details(),
        recent: recentOf(windows[r.playerId] ?? stranger(r.playerId)),
        lifetime: null,
        ...extra[r.playerId],
      };
    }
  }
  return { match, players, asOf: Date.parse('2026-03-20T20:00:00Z') };
}

const roster = (f: 'faction1' | 'faction2') => realMatch().factions[f].roster;
const ids = (f: 'faction1' | 'faction2') => roster(f).map((r) => r.playerId);
const nicks = (f: 'faction1' | 'faction2') => roster(f).map((r) => r.nickname);

describe('parties from the recent matches already fetched', () => {
  it('reads `Team` from the recorded window', () => {
    const recent = recentOf(clone(loadSample('player_games_cs2_stats.json')));
    expect(recent).toHaveLength(20);
    // Darwin's side is named after its captain: csourcerer in 19 of the 20 (a regular party), Emerse once.
    expect(recent.filter((m) => m.team === 'team_csourcerer')).toHaveLength(19);
    expect(recent.filter((m) => m.team === 'team_Emerse')).toHaveLength(1);
  });

  it('finds a party of three who shared a side, names them and counts the shared matches', () => {
    const [a, b, c] = ids('faction1');
    const input = lobbyOf({
      [a]: games(a),
      [b]: games(b),
      // c joined them for the newest 3 matches only.
      [c]: games(c, (_s, i) => i < 3),
    });
    const analysis = analyzeLobby(input);
    const team = analysis.teams.faction1;
    // Counted on the recorded windows: 20 matches on one side, 10 of them won.
    expect(team.parties).toEqual([{ members: [a, b, c], sharedMatches: 20, wonMatches: 10 }]);
    expect(team.soloPlayers).toBe(2);
    expect(team.duos?.[0]).toEqual({ a, b, matches: 20, wins: 10 });
    expect(analysis.teams.faction2.parties).toEqual([]);
    expect(analysis.teams.faction2.soloPlayers).toBe(5);

    const [n1, n2, n3] = nicks('faction1');
    const en = renderReport(analysis, { locale: 'en' }).join('\n');
    expect(en).toContain(`👥 party of 3: ${n1}, ${n2}, ${n3} (20 shared recent matches, 10 won)`);
    const ru = renderReport(analysis, { locale: 'ru' }).join('\n');
    expect(ru).toContain(`👥 пати из 3: ${n1}, ${n2}, ${n3} (20 общих недавних матчей, побед: 10)`);
    // Said once, under its own team.
    expect(en.split('👥').length).toBe(2);
  });

  it('never invents one: opponents of an earlier match, one shared match, or no side data', () => {
    const [a, b, c, d] = ids('faction1');
    const [x] = ids('faction2');
    const input = lobbyOf({
      [a]: games(a),
      // b played those same matches on the other side.
      [b]: games(b, (s) => {
        s['Team'] = 'team_other';
      }),
      // c shared exactly one match with a: a duo, not a party.
      [c]: games(c, (s, i) => {
        if (i > 0) s['Match Id'] = `${String(s['Match Id'])}-c`;
      }),
      // d's window has no `Team` key at all (older responses): unknown, never solo, never a party.
      [d]: games(d, (s) => {
        delete s['Team'];
      }),
      // x is on the other team of this lobby: sharing a's matches does not put him in a's party.
      [x]: games(x),
    });
    const analysis = analyzeLobby(input);
    expect(analysis.teams.faction1.parties).toEqual([]);
    expect(analysis.teams.faction1.duos).toEqual([{ a, b: c, matches: 1, wins: 0 }]);
    expect(analysis.teams.faction1.soloPlayers).toBe(4);
    expect(analysis.teams.faction2.parties).toEqual([]);
    for (const locale of ['en', 'ru'] as const) {
      expect(renderReport(analysis, { locale }).join('\n')).not.toContain('👥');
    }
  });

  it('ignores the analysed match itself and inputs stored before `Team` was read', () => {
    const match = realMatch();
    const [a, b] = ids('faction1');
    const windowA = recentOf(games(a));
    const windowB = recentOf(games(b)).map((m, i) => (i < 2 ? { ...m, matchId: match.matchId } : m));
    windowB.splice(2);
    const players = { [a]: { details: null, recent: windowA }, [b]: { details: null, recent: windowB } };
    expect(teamParties(match.factions.faction1.roster, players, match.matchId).parties).toEqual([]);
    const old = (w: typeof windowA) => w.map(({ team: _team, ...rest }) => rest);
    const stored = {
      [a]: { details: null, recent: old(windowA) },
      [b]: { details: null, recent: old(windowA) },
    };
    const t = teamParties(match.factions.faction1.roster, stored, match.matchId);
    expect(t.parties).toEqual([]);
    expect(t.soloPlayers).toBeNull();
  });
});

describe('new-account and smurf signals, with their numbers', () => {
  const asOf = Date.parse('2026-03-20T20:00:00Z');
  /** The recorded lifetime block, rewritten to a young account's 41 matches. */
  const youngLifetime = () => {
    const body = clone(loadSample('player_stats_cs2.json'));
    Object.assign(body.lifetime as Json, { Matches: '41', Wins: '30', 'Win Rate %': '73' });
    return lifetimeFrom(playerStatsSchema.parse(body));
  };
  /** The recorded window with a stronger line: K/D 1.6 (kills × 1.6 of deaths), ADR 96. */
  const strongWindow = (playerId: string) =>
    games(playerId, (s) => {
      s['Kills'] = String(Math.round(Number(s['Deaths']) * 1.6));
      s['ADR'] = '96';
    });

  it('reads activated_at from the recorded player and gives an old account no signal', () => {
    const d = details();
    expect(d.activatedAt).toBe(Date.parse('2014-07-15T13:29:43.243Z'));
    const analysis = analyzeLobby(lobbyOf({}));
    const p = analysis.teams.faction1.players[0];
    expect(p.signals?.accountDays).toBeGreaterThan(4000);
    expect(p.signals?.newAccount).toBe(false);
    expect(p.signals?.smurf).toBe(false);
    expect(renderReport(analysis, { locale: 'en' }).join('\n')).not.toMatch(/new account|smurf\?/);
  });

  it('says "smurf?" only where a new account and two high figures agree, with the numbers', () => {
    const [a, b, c] = ids('faction2');
    const young = details((p) => {
      p.activated_at = new Date(asOf - 25 * DAY - 3_600_000).toISOString();
    });
    const input = lobbyOf(
      { [a]: strongWindow(a), [b]: games(b), [c]: strongWindow(c) },
      {
        // New, 41 matches, K/D 1.6, ADR 96: smurf?
        [a]: { details: young, lifetime: youngLifetime() },
        // New but an ordinary line: a new account, no smurf.
        [b]: { details: young, lifetime: youngLifetime() },
        // A strong line on an old account: no signal at all (that is the threat's job).
        [c]: { details: details() },
      },
    );
    const analysis = analyzeLobby(input);
    const byId = (id: string) => analysis.teams.faction2.players.find((p) => p.playerId === id);
    expect(byId(a)?.signals).toMatchObject({ accountDays: 25, matches: 41, newAccount: true, smurf: true });
    expect(byId(a)?.signals?.high.adr).toBe(96);
    expect(byId(b)?.signals).toMatchObject({ accountDays: 25, newAccount: true, smurf: false });
    expect(byId(c)?.signals).toMatchObject({ newAccount: false, smurf: false });

    const level = byId(a)?.level;
    const kd = byId(a)?.kd?.toFixed(2);
    const en = renderSections(analysis, { locale: 'en' }).join('\n');
    expect(en).toContain(`🕵️ smurf? new account: 25 days, 41 matches, K/D ${kd}, ADR 96 at level ${level}`);
    expect(en).toContain(`🆕 new account: 25 days, 41 matches, K/D`);
    expect(en.match(/smurf\?/g)).toHaveLength(1);
    const ru = renderSections(analysis, { locale: 'ru' }).join('\n');
    expect(ru).toContain(
      `🕵️ смурф? новый аккаунт: 25 дней, 41 матч, K/D ${kd?.replace('.', ',')}, ADR 96 на ${level} уровне`,
    );
    expect(ru).toContain('🆕 новый аккаунт: 25 дней, 41 матч');
  });

  it('keeps every message within 4096 characters with parties and signals on every line', () => {
    const f1 = ids('faction1');
    const f2 = ids('faction2');
    const young = details((p) => {
      p.activated_at = new Date(asOf - 10 * DAY).toISOString();
    });
    const windows: Record<string, Json> = {};
    const extra: Record<string, Partial<PlayerInput>> = {};
    for (const id of [...f1, ...f2]) {
      windows[id] = f1.includes(id) ? strongWindow(id) : games(id, (s) => void (s['Team'] = 'team_b'));
      extra[id] = { details: young, lifetime: youngLifetime() };
    }
    const analysis = analyzeLobby(lobbyOf(windows, extra));
    expect(analysis.teams.faction1.parties?.[0].members).toHaveLength(5);
    expect(analysis.teams.faction2.parties?.[0].members).toHaveLength(5);
    for (const locale of ['en', 'ru'] as const) {
      const texts = renderReport(analysis, { locale, perspective: f1[0] });
      expect(texts.every((t) => t.length <= 4096)).toBe(true);
      // Split at section boundaries: a team section is never cut in two.
      expect(texts.some((t) => t.includes('👥') && t.includes(roster('faction1')[4].nickname))).toBe(true);
    }
  });
});

describe('map advice that means what it says', () => {
  const f1 = ids('faction1');
  /** Everyone's window on one map: 25 matches per player at the given win rate. */
  const onMap = (playerId: string, map: string, winRate: number) =>
    games(playerId, (s, i) => {
      s['Map'] = map;
      s['Result'] = i < Math.round(20 * winRate) ? '1' : '0';
    });

  it('an even lobby reads "unclear" on every map, never "high confidence", with the evidence', () => {
    const analysis = analyzeLobby(lobbyOf({}));
    for (const locale of ['en', 'ru'] as const) {
      const text = renderReport(analysis, { locale, perspective: f1[0] }).join('\n');
      expect(text).not.toMatch(/high confidence|уверенность высокая|likely edge|вероятный перевес/);
    }
    const en = renderReport(analysis, { locale: 'en', perspective: f1[0] }).join('\n');
    expect(en.match(/➖ unclear/g)?.length).toBe(analysis.maps.length);
    // Every player's 20 recorded matches: 8 on Inferno, 3 on Nuke, none on Dust2; each with its ± interval.
    expect(en).toContain('📍 <b>Inferno (picked)</b> 0.0 ± 8.8 pp — ➖ unclear · 8 / 8 matches per player');
    expect(en).toContain('<b>Nuke</b> 0.0 ± 10.3 pp — ➖ unclear · 3 / 3 matches per player on this map');
    expect(en).toContain('<b>Dust2</b> 0.0 ± 11.8 pp — ➖ unclear · 0 / 0 matches per player on this map');
  });

  it('says "likely edge" when the interval excludes zero, for the side it favours, in both languages', () => {
    const windows: Record<string, Json> = {};
    for (const id of ids('faction1')) windows[id] = onMap(id, 'de_nuke', 0.8);
    for (const id of ids('faction2')) windows[id] = onMap(id, 'de_nuke', 0.3);
    const analysis = analyzeLobby(lobbyOf(windows));
    const nuke = analysis.maps.find((m) => m.map === 'de_nuke');
    expect(nuke?.edge?.likely).toBe('faction1');
    expect(nuke?.edge?.points).toBeGreaterThan(nuke?.edge?.margin ?? Infinity);
    const f2 = ids('faction2');
    expect(renderReport(analysis, { locale: 'en', perspective: f1[0] }).join('\n')).toMatch(
      /<b>Nuke<\/b> \+[\d.]+ ± [\d.]+ pp — ✅ likely edge for us · 20 \/ 20 matches per player/,
    );
    expect(renderReport(analysis, { locale: 'en', perspective: f2[0] }).join('\n')).toMatch(
      /<b>Nuke<\/b> −[\d.]+ ± [\d.]+ pp — ❌ likely edge for them/,
    );
    expect(renderReport(analysis, { locale: 'ru', perspective: f2[0] }).join('\n')).toMatch(
      /<b>Nuke<\/b> −[\d,]+ ± [\d,]+ п\.п\. — ❌ вероятный перевес у соперника · 20 \/ 20 матча на игрока/,
    );
    // Maps nobody played: unclear.
    expect(analysis.maps.filter((m) => m.map !== 'de_nuke').every((m) => m.edge?.likely === null)).toBe(true);
  });
});

describe('opponent bans and picks, while the map is not picked', () => {
  const f1 = ids('faction1');
  const f2 = ids('faction2');
  const voting = (bestOf: number, windows: Record<string, Json> = {}): LobbyInput => {
    const input = lobbyOf(windows);
    input.match = { ...input.match, status: 'VOTING', pickedMap: null, bestOf };
    return input;
  };

  it('reads best_of from the recorded match', () => {
    expect(realMatch().bestOf).toBe(1);
    expect(realMatch().faceitWinProbability).toBeNull();
  });

  it('BO1: the maps they never play first, then where they win least, with the evidence', () => {
    const analysis = analyzeLobby(voting(1));
    // The recorded window: 8 Inferno, 3 each of Overpass, Anubis, Nuke, Mirage; no Dust2, no Ancient.
    const bans = analysis.veto?.faction2.bans ?? [];
    expect(bans.map((b) => b.map).slice(0, 2)).toEqual(['de_ancient', 'de_dust2']);
    expect(bans.slice(0, 2).every((b) => b.reason === 'avoided' && b.matchesPerPlayer === 0)).toBe(true);
    expect(bans).toHaveLength(3);
    expect(bans[2].reason).toBe('lost');
    expect(analysis.veto?.faction2.picks).toEqual([]);
    const en = renderReport(analysis, { locale: 'en', perspective: f1[0] }).join('\n');
    expect(en).toContain(
      '🚫 They will likely ban: Ancient (rarely played: 0 matches per player), Dust2 (rarely played: 0 matches per player), ',
    );
    // Our bans: no edge is likely against us, so the maps we avoid; no likely edge for us, so no pick.
    expect(en).toContain('💡 ban Ancient, Dust2 · no map is a likely edge for us');
    const ru = renderReport(analysis, { locale: 'ru', perspective: f1[0] }).join('\n');
    expect(ru).toContain('🚫 Соперник, вероятно, забанит: Ancient (играют редко: 0 матча на игрока)');
    // Neutral: both teams' likely bans, by name.
    const neutral = renderReport(analysis, { locale: 'en' }).join('\n');
    expect(neutral).toContain(`🚫 <b>${analysis.teams.faction1.name}</b> will likely ban: Ancient`);
    expect(neutral).toContain(`🚫 <b>${analysis.teams.faction2.name}</b> will likely ban: Ancient`);
  });

  it('BO3: two likely bans and their likely pick; our pick where the edge is likely ours', () => {
    const windows: Record<string, Json> = {};
    // We win Inferno 80 % of the time, they 30 %: a likely edge for us there.
    for (const id of f1)
      windows[id] = games(id, (s, i) => {
        s['Map'] = 'de_inferno';
        s['Result'] = i < 16 ? '1' : '0';
      });
    for (const id of f2)
      windows[id] = games(id, (s, i) => {
        s['Result'] = s['Map'] === 'de_inferno' ? (i % 3 === 0 ? '1' : '0') : s['Result'];
      });
    const analysis = analyzeLobby(voting(3, windows));
    expect(analysis.veto?.faction2.bans).toHaveLength(2);
    expect(analysis.veto?.faction2.picks.map((p) => p.map)).toEqual(['de_inferno']);
    const en = renderReport(analysis, { locale: 'en', perspective: f1[0] }).join('\n');
    expect(en).toMatch(/🎯 They will likely pick: Inferno \(8 matches per player, \d+% won\)/);
    expect(en).toMatch(/💡 ban [^\n]+ · pick Inferno/);
    // Once the map is picked, the veto lines are gone.
    const picked = analyzeLobby({ ...voting(3, windows), match: { ...realMatch(), bestOf: 3 } });
    expect(renderReport(picked, { locale: 'en', perspective: f1[0] }).join('\n')).not.toContain('🚫');
    expect(f2).toHaveLength(5);
  });
});
