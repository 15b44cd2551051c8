# Pre-match lobby analysis (src/analysis/render.ts). Telegram HTML: variables arrive already escaped.

analysis-progress = ⏳ Собираю статистику игроков… {$bar} {$done}/{$total}

analysis-rejected-finished = Этот матч уже завершён — анализ лобби доступен только до начала и во время игры.
analysis-rejected-cancelled = Этот матч отменён — анализировать нечего.
analysis-rejected-not-two-teams = В этом матче нет двух команд игроков — такой матч проанализировать нельзя.

analysis-title = 🎯 <b>Анализ лобби</b>
analysis-competition = 🏆 {$competition}
analysis-map-picked = 🗺 Карта: <b>{$map}</b>
analysis-map-not-picked = 🗺 Карта ещё не выбрана
analysis-versus = ⚔️ <b>{$team1}</b> vs <b>{$team2}</b>
analysis-you-play-for = 👤 Вы играете за <b>{$team}</b>
analysis-win-chance-us = 📊 Шанс победы: <b>{$p}%</b>
analysis-win-chance-neutral = 📊 Шансы: {$team1} <b>{$p1}%</b> — <b>{$p2}%</b> {$team2}
analysis-win-chance-unknown = 📊 Шанс победы: нет данных об ELO
analysis-stake-us = 💰 На кону: <b>+{$gain}</b> за победу / <b>−{$loss}</b> за поражение
analysis-stake-neutral = 💰 ELO: {$team1} <b>+{$gain1}</b>/<b>−{$loss1}</b> · {$team2} <b>+{$gain2}</b>/<b>−{$loss2}</b>

analysis-team-us = 🟦 <b>Ваша команда — {$name}</b>
analysis-team-them = 🟥 <b>Соперники — {$name}</b>
analysis-team-neutral = ⚪ <b>{$name}</b>
analysis-team-summary = Ср. ELO <b>{$elo}</b> · ср. уровень {$level}
analysis-team-no-data = { $n ->
    [one] нет данных по {$n} игроку
   *[other] нет данных по {$n} игрокам
  }

analysis-player-head = {$threat} <b>{$nick}</b>{$you}{$level}{$elo}
analysis-player-level = {" "}· {$level} ур.
analysis-player-elo = {" "}· {$elo} ELO
analysis-player-you = {" "}(вы)
analysis-player-stats = K/D {$kd} · ADR {$adr} · HS {$hs}% · R {$rating} · WR {$wr}%
analysis-player-no-data = нет данных
analysis-player-matches = { $n ->
    [one] {$n} матч
    [few] {$n} матча
   *[many] {$n} матчей
  }
analysis-player-source-lifetime = за всё время

analysis-role-awper = 🔭 снайпер
analysis-role-entry = 🚪 энтри
analysis-role-support = 🧪 саппорт
analysis-role-rifler = 🔫 райфлер

analysis-form-win = В
analysis-form-loss = П

analysis-flag-small-sample = ⚠️ мало матчей
analysis-flag-smurf = 🕵️ возможный смурф

analysis-signal-new = 🆕 новый аккаунт: {$facts}{$level}
analysis-signal-smurf = 🕵️ смурф? новый аккаунт: {$facts}{$level}
analysis-signal-days = { $n ->
    [one] {$n} день
    [few] {$n} дня
   *[many] {$n} дней
  }
analysis-signal-kd = K/D {$kd}
analysis-signal-adr = ADR {$adr}
analysis-signal-wr = WR {$wr}%
analysis-signal-level = {" "}на {$level} уровне
analysis-party = 👥 пати из {$n}: {$members} ({ $shared ->
    [one] {$shared} общий недавний матч
    [few] {$shared} общих недавних матча
   *[many] {$shared} общих недавних матчей
  }{$won})
analysis-party-won = , побед: {$won}

analysis-dangerous-title = ☠️ <b>Самые опасные</b>
analysis-weakest-title = 🎯 <b>Слабые звенья</b>
analysis-danger-line = {$threat} <b>{$nick}</b> — R {$rating} · K/D {$kd} · WR {$wr}%
analysis-danger-team = <b>{$team}</b>: {$players}
analysis-danger-none = нет данных

analysis-maps-title = 🗺 <b>Карты</b>
analysis-maps-hint-us = перевес = наши шансы − шансы соперника, в пунктах
analysis-maps-hint-neutral = оценка команд на карте, из 100
analysis-map-line-us = {$mark} <b>{$map}</b> {$advantage} — {$verdict} · {$confidence}
analysis-map-line-neutral = {$mark} <b>{$map}</b> {$score1}:{$score2} — {$verdict} · {$confidence}
analysis-map-picked-suffix = {" "}(выбрана)
analysis-verdict-pick = ✅ пик
analysis-verdict-ban = ❌ бан
analysis-verdict-neutral = ➖ без явного перевеса
analysis-verdict-favours = в пользу <b>{$team}</b>
analysis-confidence-low = уверенность низкая
analysis-confidence-medium = уверенность средняя
analysis-confidence-high = уверенность высокая
analysis-maps-none = Нет данных по картам.
analysis-maps-age = ⏳ <i>статистика по картам обновлена { $unit ->
        [days] { $n } дн.
       *[hours] { $n } ч
    } назад</i>

analysis-edge-hint-us = перевес = изменение нашего шанса на карте, в пунктах, ± 95 % интервал
analysis-edge-hint-neutral = перевес {$team}, в пунктах шанса на победу, ± 95 % интервал
analysis-edge-value = {$points} ± {$margin} п.п.
analysis-edge-line = {$mark} <b>{$map}</b> {$edge} — {$verdict} · {$evidence}
analysis-edge-ours = ✅ вероятный перевес у нас
analysis-edge-theirs = ❌ вероятный перевес у соперника
analysis-edge-team = вероятный перевес: <b>{$team}</b>
analysis-edge-unclear = ➖ неясно
analysis-edge-evidence = {$first} / {$second} матча на игрока на этой карте
analysis-veto-they-ban = 🚫 Соперник, вероятно, забанит: {$maps}
analysis-veto-they-pick = 🎯 Соперник, вероятно, выберет: {$maps}
analysis-veto-team-bans = 🚫 <b>{$team}</b>, вероятно, забанит: {$maps}
analysis-veto-team-picks = 🎯 <b>{$team}</b>, вероятно, выберет: {$maps}
analysis-veto-avoided = {$map} (играют редко: {$per} матча на игрока)
analysis-veto-lost = {$map} ({$wr}% побед)
analysis-veto-played = {$map} ({$per} матча на игрока, {$wr}% побед)
analysis-veto-advice = 💡 {$advice}
analysis-veto-our-bans = баньте {$maps}
analysis-veto-our-picks = берите {$maps}
analysis-veto-no-pick = ни на одной карте нет вероятного перевеса у нас

analysis-legend = Угроза: 🟢 1 · 🟡 2 · 🟠 3 · 🔴 4 · ☠️ 5 · ❔ нет данных. R — рейтинг в стиле HLTV 2.0, WR — процент побед, форма — последние 10 матчей (новые слева).

# Карточка лобби (src/analysis/card.ts): простой текст на картинке (без HTML и эмодзи: в шрифте их нет).
analysis-card-title = Анализ лобби
analysis-card-map = Карта: {$map}
analysis-card-map-open = Карта ещё не выбрана
analysis-card-chance = Шансы на победу
analysis-card-chance-us = Шансы на победу (ваша команда слева)
analysis-card-elo-alone = Только по ELO
analysis-card-no-chance = Шанс победы: нет данных об ELO
analysis-card-team-summary = ср. ELO {$elo} · ср. уровень {$level}
analysis-card-us = ваша команда
analysis-card-col-level = УР.
analysis-card-col-player = Игрок
analysis-card-col-role = Роль
analysis-card-col-threat = Угроза
analysis-card-role-awper = снайпер
analysis-card-role-entry = энтри
analysis-card-role-support = саппорт
analysis-card-role-rifler = райфлер
analysis-card-new = НОВЫЙ
analysis-card-smurf = СМУРФ?
analysis-card-no-data = нет данных
analysis-card-maps = Карты
analysis-card-maps-none = Нет данных по картам
analysis-card-col-map = Карта
analysis-card-col-edge = Перевес, п. ± 95 %
analysis-card-col-score = Оценки
analysis-card-col-verdict = Вероятный перевес
analysis-card-col-evidence = Матчей на игрока
analysis-card-picked = выбрана
analysis-card-edge-us = у нас
analysis-card-edge-them = у соперника
analysis-card-unclear = неясно
analysis-card-legend = Угроза 1–5 · скобки — вероятные пати · НОВЫЙ / СМУРФ? — сигналы, а не вердикт · подробности ниже
analysis-card-details = 📋 <b>Подробности</b> (нажмите на список игроков, чтобы раскрыть)
analysis-card-below = ⬇️ Отчёт — ниже.
