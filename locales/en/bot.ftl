# The Telegram bot (src/bot). Telegram HTML: variables arrive already escaped. Every id starts with "bot-".

## Main keyboard
bot-menu-profile = 👤 Profile
bot-menu-matches = 📜 Matches
bot-menu-last = 🕹 Last match
bot-menu-form = 📈 Form
bot-menu-analyze = 🎯 Analyse a lobby
bot-menu-settings = ⚙️ Settings
bot-menu-help = ❓ Help

## Command list (Telegram's menu)
bot-cmd-analyze = Analyse a match lobby (room link)
bot-cmd-profile = FACEIT profile
bot-cmd-matches = Last matches
bot-cmd-last = Scoreboard of the last match
bot-cmd-form = Form over 20/50/100 matches
bot-cmd-compare = Compare two players
bot-cmd-duos = Best and worst duo partners
bot-cmd-track = Notify me about finished matches
bot-cmd-link = Link a FACEIT account
bot-cmd-settings = Language, time zone, notifications
bot-cmd-help = Help

## /start, language, referral
bot-start-welcome = 👋 Hi, <b>{$name}</b>! I analyse FACEIT CS2 lobbies: send me a match room link and within seconds you know who you are up against.
bot-start-choose-language = Choose your language:
bot-language-chosen = 🇬🇧 Language: English.
bot-start-ask-nickname = Send me your FACEIT nickname to link your account (a FACEIT profile link, a Steam64 id or a Steam profile link work too).
bot-start-linked = Your account: <b>{$nickname}</b>. Use the keyboard below or /help.
bot-referral-applied = 🎁 Referral code accepted — welcome aboard! Link your FACEIT account and run an analysis, and you both get PREMIUM days (see /referral).
bot-referral-self = You cannot use your own referral code.
bot-referral-already-referred = You have already joined with a referral code.
bot-referral-unknown-code = This referral code is unknown — you can still use the bot as usual.
bot-referral-existing-user = Referral links only work for new users.

## Linking
bot-link-usage = Send <code>/link nickname</code>, a FACEIT profile link, a Steam64 id or a Steam profile link, e.g. <code>/link s1mple</code>.
bot-link-done = ✅ Linked <b>{$nickname}</b> — level {$level}, {$elo} ELO. Try /profile or /matches.
bot-unlink-done = Your FACEIT account is unlinked.
bot-unlink-none = No FACEIT account is linked.
bot-need-link = Link your FACEIT account first: <code>/link nickname</code>.

## Bad input (nothing is changed)
bot-input-empty = Send a nickname or a link.
bot-input-too-long = That is far too long for a nickname or a link. Send just your FACEIT nickname, e.g. <code>s1mple</code>.
bot-input-invalid-nickname = «{$input}» is not a FACEIT nickname: nicknames are 2–32 letters, digits, «-» or «_».
bot-input-malformed-url = I cannot read that link. Send a FACEIT profile link (faceit.com/en/players/…) or a Steam profile link (steamcommunity.com/profiles/…).
bot-input-steam-vanity = Custom Steam links (steamcommunity.com/id/…) cannot be resolved. Send the steamcommunity.com/profiles/7656… link or your Steam64 id.
bot-input-room-url = That is a match room. To analyse it, send <code>/analyze</code> with the link.
bot-player-not-found = Player «{$nickname}» was not found on FACEIT. Check the spelling (letter case counts).
bot-player-no-cs2 = «{$nickname}» has a FACEIT account but no CS2 profile.

## /profile
bot-profile-title = 👤 <b>{$nickname}</b> {$flag} {$country} · {$region}
bot-profile-level = Level <b>{$level}</b> · <b>{$elo}</b> ELO
bot-profile-matches = Matches: <b>{$matches}</b> · wins {$wins} · win rate <b>{$wr}</b>
bot-profile-figures = K/D <b>{$kd}</b> · HS <b>{$hs}</b> · ADR <b>{$adr}</b>
bot-profile-streaks = Win streak: current {$current} · longest {$longest}
bot-profile-recent = Last 5: {$results}
bot-profile-best-map = 🟢 Best map: <b>{$map}</b> — {$wr} win rate, K/D {$kd} ({$matches} matches)
bot-profile-worst-map = 🔴 Worst map: <b>{$map}</b> — {$wr} win rate, K/D {$kd} ({$matches} matches)
bot-profile-no-stats = No CS2 matches played yet.
bot-profile-link = FACEIT profile

## /matches
bot-matches-usage = Send <code>/matches</code> or <code>/matches N</code> with N from 1 to {$max}.
bot-matches-title = 📜 { $n ->
    [one] Last match
   *[other] Last {$n} matches
  } of <b>{$nickname}</b>
bot-matches-clamped = (at most {$max} at a time)
bot-matches-line = {$mark} <b>{$map}</b> {$score} · {$k}-{$d}-{$a} · K/D {$kd} · ADR {$adr} · HS {$hs} · {$time} · {$room}
bot-matches-room = room
bot-no-matches = No finished CS2 matches yet.

## /last
bot-last-title = 🕹 <b>{$map}</b> {$score} — {$result} · {$time}
bot-last-result-win = ✅ win
bot-last-result-loss = ❌ loss
bot-last-result-unknown = result unknown
bot-last-team = {$mark} <b>{$name}</b> — {$score}
bot-last-player = {$you}<b>{$nickname}</b> {$k}-{$d}-{$a} · K/D {$kd} · ADR {$adr} · HS {$hs}
bot-last-no-scoreboard = FACEIT has no scoreboard for this match yet.

## /form
bot-form-usage = Send <code>/form</code>, <code>/form 50</code> or <code>/form 100</code> (20, 50 or 100 matches).
bot-form-title = 📈 Form of <b>{$nickname}</b> — { $n ->
    [one] {$n} match
   *[other] {$n} matches
  } (of the last {$window})
bot-form-totals = {$wins}W–{$losses}L ({$wr}) · K/D <b>{$kd}</b> · ADR <b>{$adr}</b> · HS {$hs}%
bot-form-trend-up = {$icon} Trend: improving (K/D {$kd}, ADR {$adr}, win rate {$wr} pts)
bot-form-trend-down = {$icon} Trend: declining (K/D {$kd}, ADR {$adr}, win rate {$wr} pts)
bot-form-trend-flat = {$icon} Trend: steady (K/D {$kd}, ADR {$adr}, win rate {$wr} pts)
bot-form-trend-none = ➡️ Trend: too few matches to tell
bot-form-role = Role: {$role} · style: {$style}
bot-form-role-unknown = unknown
bot-form-style-sharpshooter = sharpshooter
bot-form-style-impact = high impact
bot-form-style-teamplayer = team player
bot-form-style-survivor = survivor
bot-form-style-struggling = struggling
bot-form-sessions-title = 🗓 { $n ->
    [one] {$n} session
   *[other] {$n} sessions
  } (split by 12 h breaks):
bot-form-session = • {$when}: {$wins}W–{$losses}L · K/D {$kd} · ADR {$adr}
bot-form-maps-title = 🗺 Maps:
bot-form-map = • <b>{$map}</b>: {$wins}W–{$losses}L ({$wr}) · K/D {$kd} · ADR {$adr}

## /compare
bot-compare-usage = Send <code>/compare nick1 nick2</code> (or <code>/compare nick</code> to compare yourself with them).
bot-compare-title = ⚖️ <b>{$a}</b> vs <b>{$b}</b> (better in bold)
bot-compare-level = Level: {$a} · {$b}
bot-compare-elo = ELO: {$a} · {$b}
bot-compare-matches = Matches: {$a} · {$b}
bot-compare-winrate = Win rate: {$a} · {$b}
bot-compare-kd = K/D: {$a} · {$b}
bot-compare-hs = HS: {$a} · {$b}
bot-compare-adr = ADR: {$a} · {$b}
bot-compare-recent-kd = K/D, last 20: {$a} · {$b}
bot-compare-recent-adr = ADR, last 20: {$a} · {$b}
bot-compare-recent-winrate = Win rate, last 20: {$a} · {$b}
bot-compare-form = Last 5: {$a} · {$b}

## /analyze
bot-analyze-usage = 🎯 Send me the match room link (https://www.faceit.com/en/cs2/room/1-…) or <code>/analyze</code> with the link or the match id.
bot-analyze-bad-reference = I cannot find a match in that. Send a FACEIT room link like https://www.faceit.com/en/cs2/room/1-… or a match id (1-…).
bot-analyze-cancel-button = ✖️ Cancel
bot-analyze-cancelled = Analysis cancelled — it does not count towards today's quota.
bot-analyze-cancel-too-late = This analysis has already finished.
bot-analyze-cancel-not-yours = Only the person who asked for this analysis can cancel it.
bot-analyze-failed = ⚠️ The analysis could not be started. It does not count towards your quota; please try again in a minute.
bot-quota-line = Analyses today: {$used}/{$limit} ({$tier})
bot-quota-exceeded = ⛔ Daily limit reached: {$used}/{$limit} analyses ({$tier}). It resets at midnight in your time zone; PREMIUM and PRO have higher limits.

## /settings
bot-settings = ⚙️ <b>Settings</b>
    Language: {$language}
    Time zone: <b>{$zone}</b> (now {$now})
    Match notifications: {$notifications}
bot-settings-on = on
bot-settings-off = off
bot-settings-timezone-button = 🕒 Time zone: {$zone}
bot-settings-notifications-on = 🔔 Notifications: on
bot-settings-notifications-off = 🔕 Notifications: off
bot-settings-back = ⬅️ Back
bot-timezone-pick = Pick your time zone (now: <b>{$zone}</b>), or send <code>/timezone Area/City</code>, e.g. <code>/timezone Asia/Novosibirsk</code>.
bot-timezone-usage = Your time zone is <b>{$zone}</b>. To change it: <code>/timezone Area/City</code>, e.g. <code>/timezone Europe/Berlin</code>.
bot-timezone-invalid = «{$input}» is not a time zone. Use the Area/City form, e.g. <code>Europe/Moscow</code>.
bot-timezone-set = 🕒 Time zone: <b>{$zone}</b> (now {$now}).
bot-timezone-set-short = Time zone: {$zone}

## Help and the rest
bot-help = <b>FACEIT CS2 analysis bot</b>
    🎯 /analyze <i>room link</i> — who is in your lobby: threat, roles, maps, win chance (or just paste the link)
    👤 /profile <i>[nickname]</i> — level, ELO, win rate, K/D, HS, ADR, best and worst maps
    📜 /matches <i>[N]</i> — your last N matches (up to 20)
    🕹 /last — full scoreboard of your last match
    📈 /form <i>[20|50|100]</i> — trend, sessions, maps, role
    ⚖️ /compare <i>nick1 nick2</i> — side by side
    👥 /duos <i>[nickname]</i> — best and worst duo partners over the last 100 matches
    🔗 /link <i>nickname | link | Steam64</i> — link your account, /unlink to remove it
    ⚙️ /settings — language, time zone, notifications
    🔔 /track <i>[nickname]</i> — notifications about finished matches (/tracked, /untrack)
bot-private-only = This works in a private chat with me.
bot-open-private = Open the chat
bot-unknown-command = I do not know this command. See /help.
bot-unknown-text = I did not understand that. Paste a FACEIT room link to analyse a lobby, or see /help.
bot-button-outdated = This button is no longer active.
bot-flood = ⏳ Too many messages — give me a few seconds.
bot-error-generic = ⚠️ Something went wrong on my side. Please try again in a minute.
bot-error-faceit = ⚠️ FACEIT is not answering right now. Please try again in a minute.

## /duos
bot-duos-title = 👥 Duo partners of <b>{$nickname}</b>: last {$n} matches, {$wr} won
bot-duos-best = <b>Best with</b>
bot-duos-worst = <b>Worst with</b>
bot-duos-line = • <b>{$nickname}</b>: {$wins}W–{$losses}L together ({$wr})
bot-duos-none = Nobody was a teammate in {$min} or more of these matches: no duo partner yet.
bot-duos-even = Nobody did clearly better or worse with them than their own {$wr}.
bot-duos-note = <i>Teammates in at least {$min} matches, ranked by the win rate together pulled toward their own with {$k} pseudo-matches (3–0 does not outrank 14–6). Signals, not proof.</i>
