import type { EmulatorControl, PlayerSummary } from './control';
import type { LobbyInfo } from './lobbies';

/**
 * Demo lobbies worth looking at in the playground and the local run: every feature of the report has something to
 * show. A mid-level room with a party of three (they queued together in two earlier matches of the emulator's
 * world) against a smurf; a level-10 room; a low-level room with a new account; a room still in the map vote.
 */

export interface DemoLobby {
  label: string;
  lobby: LobbyInfo;
}

export async function createDemoLobbies(control: EmulatorControl): Promise<DemoLobby[]> {
  const used = new Set<string>();
  const take = (found: PlayerSummary[], n: number): string[] => {
    const out = found.filter((p) => !used.has(p.playerId)).slice(0, n);
    if (out.length < n) throw new Error('the emulator world has too few players for the demo lobbies');
    for (const p of out) used.add(p.playerId);
    return out.map((p) => p.playerId);
  };
  const regular = (minElo: number, maxElo: number) =>
    control.findPlayers({
      hasCs2: true,
      smurf: false,
      newAccount: false,
      minElo,
      maxElo,
      minMatches: 60,
      limit: 400,
    });

  // A party of three at levels 7–9 who played two matches together, on the same side, before this one.
  const mid = regular(1350, 1900);
  const party = take(mid, 3);
  for (let i = 0; i < 2; i++) {
    const earlier = await control.createLobby({ players: [...party, ...take(mid, 7)] });
    await control.finishMatch(earlier.matchId, { winner: i === 0 ? 'faction1' : 'faction2' });
  }
  const smurf = take(control.findPlayers({ smurf: true, limit: 50 }), 1);
  const partyRoom = await control.createLobby({
    players: [...party, ...take(mid, 2), ...smurf, ...take(mid, 4)],
    map: 'de_mirage',
  });

  const top = await control.createLobby({ players: take(regular(2100, 4000), 10), map: 'de_inferno' });
  const newAccount = take(control.findPlayers({ newAccount: true, limit: 50 }), 1);
  const low = await control.createLobby({
    players: [...take(regular(500, 1000), 7), ...newAccount, ...take(regular(500, 1000), 2)],
    map: 'de_dust2',
  });
  const voting = await control.createLobby({ players: take(regular(1000, 1500), 10), status: 'VOTING' });

  return [
    { label: 'party of 3 vs a smurf (levels 7–9, Mirage)', lobby: partyRoom },
    { label: 'level 10 lobby (Inferno)', lobby: top },
    { label: 'low level with a new account (Dust2)', lobby: low },
    { label: 'map vote in progress', lobby: voting },
  ];
}
