# Телеграм-бот (src/bot). Telegram HTML: переменные приходят уже экранированными. Все id начинаются с «bot-».

## Главная клавиатура
bot-menu-profile = 👤 Профиль
bot-menu-matches = 📜 Матчи
bot-menu-last = 🕹 Последний матч
bot-menu-form = 📈 Форма
bot-menu-analyze = 🎯 Анализ лобби
bot-menu-settings = ⚙️ Настройки
bot-menu-help = ❓ Помощь

## Список команд (меню Telegram)
bot-cmd-analyze = Анализ лобби матча (ссылка на комнату)
bot-cmd-profile = Профиль FACEIT
bot-cmd-matches = Последние матчи
bot-cmd-last = Таблица последнего матча
bot-cmd-form = Форма за 20/50/100 матчей
bot-cmd-compare = Сравнить двух игроков
bot-cmd-duos = Лучшие и худшие напарники
bot-cmd-track = Уведомления о завершённых матчах
bot-cmd-link = Привязать аккаунт FACEIT
bot-cmd-settings = Язык, часовой пояс, уведомления
bot-cmd-help = Помощь

## /start, язык, рефералы
bot-start-welcome = 👋 Привет, <b>{$name}</b>! Я анализирую лобби FACEIT CS2: пришли ссылку на комнату матча — и через несколько секунд узнаешь, против кого играешь.
bot-start-choose-language = Выбери язык:
bot-language-chosen = 🇷🇺 Язык: русский.
bot-start-ask-nickname = Пришли свой никнейм на FACEIT, чтобы привязать аккаунт (подойдёт и ссылка на профиль FACEIT, Steam64 id или ссылка на профиль Steam).
bot-start-linked = Твой аккаунт: <b>{$nickname}</b>. Пользуйся клавиатурой ниже или /help.
bot-referral-applied = 🎁 Реферальный код принят — добро пожаловать! Привяжите аккаунт FACEIT и сделайте анализ — и вы оба получите дни PREMIUM (см. /referral).
bot-referral-self = Нельзя использовать свой собственный реферальный код.
bot-referral-already-referred = Ты уже пришёл по реферальному коду.
bot-referral-unknown-code = Такого реферального кода нет — ботом можно пользоваться как обычно.
bot-referral-existing-user = Реферальные ссылки действуют только для новых пользователей.

## Привязка
bot-link-usage = Отправь <code>/link никнейм</code>, ссылку на профиль FACEIT, Steam64 id или ссылку на профиль Steam, например <code>/link s1mple</code>.
bot-link-done = ✅ Привязан <b>{$nickname}</b> — уровень {$level}, {$elo} ELO. Попробуй /profile или /matches.
bot-unlink-done = Аккаунт FACEIT отвязан.
bot-unlink-none = Аккаунт FACEIT не привязан.
bot-need-link = Сначала привяжи аккаунт FACEIT: <code>/link никнейм</code>.

## Ошибки ввода (ничего не меняется)
bot-input-empty = Отправь никнейм или ссылку.
bot-input-too-long = Это слишком длинно для никнейма или ссылки. Отправь только никнейм на FACEIT, например <code>s1mple</code>.
bot-input-invalid-nickname = «{$input}» — не никнейм FACEIT: в никнейме 2–32 символа — буквы, цифры, «-» или «_».
bot-input-malformed-url = Не могу разобрать ссылку. Пришли ссылку на профиль FACEIT (faceit.com/ru/players/…) или на профиль Steam (steamcommunity.com/profiles/…).
bot-input-steam-vanity = Короткие ссылки Steam (steamcommunity.com/id/…) не распознаются. Пришли ссылку вида steamcommunity.com/profiles/7656… или свой Steam64 id.
bot-input-room-url = Это ссылка на комнату матча. Чтобы проанализировать её, отправь <code>/analyze</code> со ссылкой.
bot-player-not-found = Игрок «{$nickname}» не найден на FACEIT. Проверь написание (регистр букв важен).
bot-player-no-cs2 = У «{$nickname}» есть аккаунт FACEIT, но нет профиля CS2.

## /profile
bot-profile-title = 👤 <b>{$nickname}</b> {$flag} {$country} · {$region}
bot-profile-level = Уровень <b>{$level}</b> · <b>{$elo}</b> ELO
bot-profile-matches = Матчей: <b>{$matches}</b> · побед {$wins} · винрейт <b>{$wr}</b>
bot-profile-figures = K/D <b>{$kd}</b> · HS <b>{$hs}</b> · ADR <b>{$adr}</b>
bot-profile-streaks = Серия побед: текущая {$current} · лучшая {$longest}
bot-profile-recent = Последние 5: {$results}
bot-profile-best-map = 🟢 Лучшая карта: <b>{$map}</b> — винрейт {$wr}, K/D {$kd} ({$matches} { $matches ->
    [one] матч
    [few] матча
   *[many] матчей
  })
bot-profile-worst-map = 🔴 Худшая карта: <b>{$map}</b> — винрейт {$wr}, K/D {$kd} ({$matches} { $matches ->
    [one] матч
    [few] матча
   *[many] матчей
  })
bot-profile-no-stats = Матчей в CS2 пока нет.
bot-profile-link = Профиль на FACEIT

## /matches
bot-matches-usage = Отправь <code>/matches</code> или <code>/matches N</code>, где N от 1 до {$max}.
bot-matches-title = 📜 { $n ->
    [one] Последний {$n} матч
    [few] Последние {$n} матча
   *[many] Последние {$n} матчей
  } <b>{$nickname}</b>
bot-matches-clamped = (не больше {$max} за раз)
bot-matches-line = {$mark} <b>{$map}</b> {$score} · {$k}-{$d}-{$a} · K/D {$kd} · ADR {$adr} · HS {$hs} · {$time} · {$room}
bot-matches-room = комната
bot-no-matches = Завершённых матчей в CS2 пока нет.

## /last
bot-last-title = 🕹 <b>{$map}</b> {$score} — {$result} · {$time}
bot-last-result-win = ✅ победа
bot-last-result-loss = ❌ поражение
bot-last-result-unknown = результат неизвестен
bot-last-team = {$mark} <b>{$name}</b> — {$score}
bot-last-player = {$you}<b>{$nickname}</b> {$k}-{$d}-{$a} · K/D {$kd} · ADR {$adr} · HS {$hs}
bot-last-no-scoreboard = У FACEIT пока нет таблицы этого матча.

## /form
bot-form-usage = Отправь <code>/form</code>, <code>/form 50</code> или <code>/form 100</code> (20, 50 или 100 матчей).
bot-form-title = 📈 Форма <b>{$nickname}</b> — { $n ->
    [one] {$n} матч
    [few] {$n} матча
   *[many] {$n} матчей
  } (из последних {$window})
bot-form-totals = {$wins}В–{$losses}П ({$wr}) · K/D <b>{$kd}</b> · ADR <b>{$adr}</b> · HS {$hs}%
bot-form-trend-up = {$icon} Тренд: растёт (K/D {$kd}, ADR {$adr}, винрейт {$wr} п.)
bot-form-trend-down = {$icon} Тренд: падает (K/D {$kd}, ADR {$adr}, винрейт {$wr} п.)
bot-form-trend-flat = {$icon} Тренд: стабильно (K/D {$kd}, ADR {$adr}, винрейт {$wr} п.)
bot-form-trend-none = ➡️ Тренд: слишком мало матчей
bot-form-role = Роль: {$role} · стиль: {$style}
bot-form-role-unknown = неизвестна
bot-form-style-sharpshooter = меткий стрелок
bot-form-style-impact = много урона
bot-form-style-teamplayer = командный игрок
bot-form-style-survivor = живучий
bot-form-style-struggling = не в форме
bot-form-sessions-title = 🗓 { $n ->
    [one] {$n} сессия
    [few] {$n} сессии
   *[many] {$n} сессий
  } (перерыв больше 12 ч — новая):
bot-form-session = • {$when}: {$wins}В–{$losses}П · K/D {$kd} · ADR {$adr}
bot-form-maps-title = 🗺 Карты:
bot-form-map = • <b>{$map}</b>: {$wins}В–{$losses}П ({$wr}) · K/D {$kd} · ADR {$adr}

## /compare
bot-compare-usage = Отправь <code>/compare ник1 ник2</code> (или <code>/compare ник</code>, чтобы сравнить себя с ним).
bot-compare-title = ⚖️ <b>{$a}</b> против <b>{$b}</b> (лучшее — жирным)
bot-compare-level = Уровень: {$a} · {$b}
bot-compare-elo = ELO: {$a} · {$b}
bot-compare-matches = Матчей: {$a} · {$b}
bot-compare-winrate = Винрейт: {$a} · {$b}
bot-compare-kd = K/D: {$a} · {$b}
bot-compare-hs = HS: {$a} · {$b}
bot-compare-adr = ADR: {$a} · {$b}
bot-compare-recent-kd = K/D, последние 20: {$a} · {$b}
bot-compare-recent-adr = ADR, последние 20: {$a} · {$b}
bot-compare-recent-winrate = Винрейт, последние 20: {$a} · {$b}
bot-compare-form = Последние 5: {$a} · {$b}

## /analyze
bot-analyze-usage = 🎯 Пришли ссылку на комнату матча (https://www.faceit.com/ru/cs2/room/1-…) или <code>/analyze</code> со ссылкой или id матча.
bot-analyze-bad-reference = Не нашёл здесь матча. Пришли ссылку на комнату FACEIT вида https://www.faceit.com/ru/cs2/room/1-… или id матча (1-…).
bot-analyze-cancel-button = ✖️ Отменить
bot-analyze-cancelled = Анализ отменён — он не засчитан в дневной лимит.
bot-analyze-cancel-too-late = Этот анализ уже завершён.
bot-analyze-cancel-not-yours = Отменить анализ может только тот, кто его запросил.
bot-analyze-failed = ⚠️ Не удалось запустить анализ. Он не засчитан в лимит; попробуй ещё раз через минуту.
bot-quota-line = Анализов сегодня: {$used}/{$limit} ({$tier})
bot-quota-exceeded = ⛔ Дневной лимит исчерпан: {$used}/{$limit} анализов ({$tier}). Он обнулится в полночь по твоему часовому поясу; у PREMIUM и PRO лимиты выше.

## /settings
bot-settings = ⚙️ <b>Настройки</b>
    Язык: {$language}
    Часовой пояс: <b>{$zone}</b> (сейчас {$now})
    Уведомления о матчах: {$notifications}
bot-settings-on = включены
bot-settings-off = выключены
bot-settings-timezone-button = 🕒 Часовой пояс: {$zone}
bot-settings-notifications-on = 🔔 Уведомления: вкл.
bot-settings-notifications-off = 🔕 Уведомления: выкл.
bot-settings-back = ⬅️ Назад
bot-timezone-pick = Выбери часовой пояс (сейчас: <b>{$zone}</b>) или отправь <code>/timezone Регион/Город</code>, например <code>/timezone Asia/Novosibirsk</code>.
bot-timezone-usage = Твой часовой пояс — <b>{$zone}</b>. Чтобы сменить: <code>/timezone Регион/Город</code>, например <code>/timezone Europe/Berlin</code>.
bot-timezone-invalid = «{$input}» — не часовой пояс. Нужен вид Регион/Город, например <code>Europe/Moscow</code>.
bot-timezone-set = 🕒 Часовой пояс: <b>{$zone}</b> (сейчас {$now}).
bot-timezone-set-short = Часовой пояс: {$zone}

## Помощь и прочее
bot-help = <b>Бот анализа FACEIT CS2</b>
    🎯 /analyze <i>ссылка на комнату</i> — кто в твоём лобби: угроза, роли, карты, шансы (или просто вставь ссылку)
    👤 /profile <i>[никнейм]</i> — уровень, ELO, винрейт, K/D, HS, ADR, лучшие и худшие карты
    📜 /matches <i>[N]</i> — твои последние N матчей (до 20)
    🕹 /last — полная таблица последнего матча
    📈 /form <i>[20|50|100]</i> — тренд, сессии, карты, роль
    ⚖️ /compare <i>ник1 ник2</i> — сравнение игроков
    👥 /duos <i>[ник]</i> — лучшие и худшие напарники за последние 100 матчей
    🔗 /link <i>никнейм | ссылка | Steam64</i> — привязать аккаунт, /unlink — отвязать
    ⚙️ /settings — язык, часовой пояс, уведомления
    🔔 /track <i>[никнейм]</i> — уведомления о завершённых матчах (/tracked, /untrack)
bot-private-only = Это работает в личном чате со мной.
bot-open-private = Открыть чат
bot-unknown-command = Не знаю такой команды. Смотри /help.
bot-unknown-text = Не понял. Вставь ссылку на комнату FACEIT, чтобы проанализировать лобби, или смотри /help.
bot-button-outdated = Эта кнопка больше не действует.
bot-flood = ⏳ Слишком много сообщений — подожди несколько секунд.
bot-error-generic = ⚠️ Что-то пошло не так на моей стороне. Попробуй ещё раз через минуту.
bot-error-faceit = ⚠️ FACEIT сейчас не отвечает. Попробуй ещё раз через минуту.

## /duos
bot-duos-title = 👥 Напарники <b>{$nickname}</b>: последние {$n} матчей, побед {$wr}
bot-duos-best = <b>Лучше всего с</b>
bot-duos-worst = <b>Хуже всего с</b>
bot-duos-line = • <b>{$nickname}</b>: {$wins}W–{$losses}L вместе ({$wr})
bot-duos-none = Никто не был в команде в {$min} и более из этих матчей: напарников пока нет.
bot-duos-even = Ни с кем заметно не лучше и не хуже, чем обычные {$wr}.
bot-duos-note = <i>Напарники — в одной команде хотя бы в {$min} матчах; порядок по доле побед вместе, подтянутой к своей ({$k} условных матча), так что 3–0 не выше 14–6. Это сигнал, не доказательство.</i>
