import { startFaceitEmulator } from './server';
import { createDemoLobbies } from './demo';

/**
 * CLI: `ts-node --transpile-only emulators/faceit/main.ts`
 * Env: FACEIT_EMULATOR_PORT (default 8090), FACEIT_EMULATOR_SEED (default 1), FACEIT_EMULATOR_PLAYERS (5000),
 * FACEIT_EMULATOR_LATENCY_MS (50), FACEIT_API_KEY (the accepted key; default "emulator-key").
 * Prints the base URL to use as FACEIT_API_BASE_URL and the room URL of a READY demo lobby.
 */
async function main(): Promise<void> {
  const env = process.env;
  const emulator = await startFaceitEmulator({
    port: Number(env.FACEIT_EMULATOR_PORT ?? 8090),
    host: env.FACEIT_EMULATOR_HOST ?? '127.0.0.1',
    seed: env.FACEIT_EMULATOR_SEED ?? 1,
    players: Number(env.FACEIT_EMULATOR_PLAYERS ?? 5000),
    latencyMs: Number(env.FACEIT_EMULATOR_LATENCY_MS ?? 50),
    apiKeys: [env.FACEIT_API_KEY || 'emulator-key'],
  });
  console.log(
    `FACEIT emulator listening: FACEIT_API_BASE_URL=${emulator.baseUrl} (control: ${emulator.origin}/__control)`,
  );
  // Something to analyse right away in the local demo; more via POST /__control/lobbies.
  for (const { label, lobby } of await createDemoLobbies(emulator.control)) {
    const me = lobby.teams.faction1.players[0];
    console.log(`demo lobby, ${label} (${lobby.status}): ${lobby.roomUrl} — you are ${me.nickname}`);
  }
  const stop = () => void emulator.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
