// `npm run monitoring:schedule [ensure|describe|trigger|pause|unpause] [reason]` — see src/monitoring/schedule-cli.ts
// (kept in src so the production image has it too: `node dist/monitoring/schedule-cli.js`).
import '../src/monitoring/schedule-cli';
