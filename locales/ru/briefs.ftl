# Предматчевые сводки и инлайн-режим (src/briefs, src/inline). Telegram HTML: переменные уже экранированы.

brief-placeholder = 📋 <b>Сводка перед матчем</b>: <b>{$nick}</b> в матче{$state}. Анализирую лобби…
    <i>Автоматически, не расходует дневной лимит.</i>
brief-status-configuring = {" "}(выбор карты)
brief-status-voting = {" "}(выбор карты)
brief-status-ready = {" "}(готов)
brief-status-ongoing = {" "}(идёт)
brief-header = 📋 <b>Сводка перед матчем</b>: играет <b>{$nick}</b>. <i>Автоматически, не расходует дневной лимит.</i>
brief-result = 🏁 Победила <b>{$team}</b> {$score}. {$verdict}
brief-verdict-favourite = ✅ Фаворит ({$team}, {$p}%) победил.
brief-verdict-upset = ❌ Сенсация: фаворит ({$team}, {$p}%) проиграл.
brief-verdict-none = Фаворита не было.
brief-setting-on = 📋 Сводки перед матчем: вкл
brief-setting-off = 📋 Сводки перед матчем: выкл
brief-turned-on = 📋 Сводки перед матчем включены: когда начинается матч отслеживаемого игрока, в этот чат приходит анализ лобби (бесплатно, лимит не расходуется).
brief-late-without-webhooks = ⏳ <i>Вебхуки FACEIT у этого бота не настроены, матч находит регулярная проверка: сводка может прийти поздно, уже после выбора карты.</i>
brief-turned-off = Сводки перед матчем в этом чате выключены.
brief-admins-only = Это могут менять только администраторы группы.
brief-no-chat = Сначала отследите игрока (<code>/track nickname</code>), затем включите сводки.
bot-cmd-brief = Сводки перед матчем вкл/выкл
briefs-help = 📋 /brief <i>вкл|выкл</i> — сводки перед матчем: когда начинается матч отслеживаемого игрока, анализ лобби приходит сам (бесплатно)
    💬 В любом чате напиши <code>@{$bot} никнейм</code> — карточка профиля, или <code>@{$bot} ссылка на комнату</code> — сводка лобби

## Инлайн-режим (@бот никнейм | ссылка на комнату)
inline-profile-title = {$nickname} — уровень {$level} · {$elo} ELO
inline-profile-description = K/D {$kd} · ADR {$adr} · HS {$hs} · последние 5 {$last}
inline-lobby-title = 🎯 <b>Сводка лобби</b> · 🗺 {$map}
inline-lobby-team = <b>{$team}</b> — ср. ELO {$elo} · шанс победы <b>{$chance}</b>
    ☠️ Самые опасные: {$dangerous}
inline-lobby-result-title = {$team1} против {$team2}
inline-lobby-description = ELO {$elo1} против {$elo2} · шансы {$p1} / {$p2}
inline-open-room = Комната матча
inline-room-title = Ещё не разобрано — откройте бота, чтобы проанализировать комнату
inline-room-description = Анализ в боте занимает несколько секунд
inline-room-text = 🎯 Комната матча FACEIT:
inline-room-button = Анализ в боте
inline-hint-title = Введите никнейм FACEIT или вставьте ссылку на комнату матча
inline-not-found = ❔ Игрок FACEIT «{$query}» с профилем CS2 не найден.
inline-invalid = «{$query}» — не никнейм FACEIT и не ссылка на комнату матча.
inline-budget = ⏳ Слишком много запросов подряд — попробуйте через несколько минут.
inline-unavailable = ⚠️ FACEIT сейчас не отвечает — попробуйте через минуту.
inline-open-bot = Открыть бота
