# The progressive report (src/analysis/progress.ts): the rosters while the players' stats come in.
analysis-progress-map = 🗺 {$map}
analysis-progress-map-open = 🗺 map not picked yet
analysis-progress-team = {$mark} <b>{$team}</b>
analysis-progress-waiting = • {$nick}{$level} — …
analysis-progress-line = • {$nick}{$level} — {$elo} ELO · K/D {$kd} · ADR {$adr}
analysis-progress-no-data = • {$nick}{$level} — no data
analysis-progress-level = {" "}(lvl {$level})
analysis-progress-queue = 🚦 In the FACEIT queue: {$ahead} requests ahead (PRO first), about {$seconds} s
