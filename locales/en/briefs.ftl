# Pre-match briefs and inline mode (src/briefs, src/inline). Telegram HTML: variables arrive already escaped.

brief-placeholder = 📋 <b>Pre-match brief</b>: <b>{$nick}</b> is in a match{$state}. Analysing the lobby…
    <i>Automatic, not counted against your daily quota.</i>
brief-status-configuring = {" "}(map vote)
brief-status-voting = {" "}(map vote)
brief-status-ready = {" "}(ready)
brief-status-ongoing = {" "}(live)
brief-header = 📋 <b>Pre-match brief</b>: <b>{$nick}</b> is playing. <i>Automatic, not counted against your daily quota.</i>
brief-result = 🏁 <b>{$team}</b> won {$score}. {$verdict}
brief-verdict-favourite = ✅ The favourite ({$team}, {$p}%) won.
brief-verdict-upset = ❌ Upset: the favourite ({$team}, {$p}%) lost.
brief-verdict-none = There was no favourite.
brief-setting-on = 📋 Pre-match briefs: on
brief-setting-off = 📋 Pre-match briefs: off
brief-turned-on = 📋 Pre-match briefs are on: when a tracked player's match starts, this chat gets the lobby analysis (free, not counted against the quota).
brief-late-without-webhooks = ⏳ <i>FACEIT webhooks are not set up on this bot, so the regular check finds the match: a brief may come late, after the map vote.</i>
brief-turned-off = Pre-match briefs are off for this chat.
brief-admins-only = Only group admins can change this.
brief-no-chat = Track a player first (<code>/track nickname</code>), then turn briefs on.
bot-cmd-brief = Pre-match briefs on/off
briefs-help = 📋 /brief <i>on|off</i> — pre-match briefs: when a tracked player's match starts, the lobby analysis arrives by itself (free)
    💬 In any chat type <code>@{$bot} nickname</code> for a profile card or <code>@{$bot} room link</code> for the lobby summary

## Inline mode (@bot nickname | room link)
inline-profile-title = {$nickname} — level {$level} · {$elo} ELO
inline-profile-description = K/D {$kd} · ADR {$adr} · HS {$hs} · last 5 {$last}
inline-lobby-title = 🎯 <b>Lobby summary</b> · 🗺 {$map}
inline-lobby-team = <b>{$team}</b> — avg ELO {$elo} · win chance <b>{$chance}</b>
    ☠️ Most dangerous: {$dangerous}
inline-lobby-result-title = {$team1} vs {$team2}
inline-lobby-description = ELO {$elo1} vs {$elo2} · win chance {$p1} / {$p2}
inline-open-room = Match room
inline-room-title = Not analysed yet — open the bot to analyse this room
inline-room-description = The analysis takes a few seconds in the bot
inline-room-text = 🎯 FACEIT match room:
inline-room-button = Analyse in the bot
inline-hint-title = Type a FACEIT nickname or paste a match room link
inline-not-found = ❔ No FACEIT player «{$query}» with a CS2 profile.
inline-invalid = «{$query}» is neither a FACEIT nickname nor a match room link.
inline-budget = ⏳ Too many look-ups in a short time — try again in a few minutes.
inline-unavailable = ⚠️ FACEIT is not answering right now — try again in a minute.
inline-open-bot = Open the bot
