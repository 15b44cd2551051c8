# Прогрессивный отчёт (src/analysis/progress.ts): составы, пока приходит статистика игроков.
analysis-progress-map = 🗺 {$map}
analysis-progress-map-open = 🗺 карта ещё не выбрана
analysis-progress-team = {$mark} <b>{$team}</b>
analysis-progress-waiting = • {$nick}{$level} — …
analysis-progress-line = • {$nick}{$level} — {$elo} ELO · K/D {$kd} · ADR {$adr}
analysis-progress-no-data = • {$nick}{$level} — нет данных
analysis-progress-level = {" "}(ур. {$level})
analysis-progress-queue = 🚦 Очередь к FACEIT: впереди {$ahead} запросов (PRO первыми), примерно {$seconds} с
