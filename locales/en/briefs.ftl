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
brief-turned-off = Pre-match briefs are off for this chat.
brief-admins-only = Only group admins can change this.
brief-no-chat = Track a player first (<code>/track nickname</code>), then turn briefs on.
bot-cmd-brief = Pre-match briefs on/off
briefs-help = 📋 /brief <i>on|off</i> — pre-match briefs: when a tracked player's match starts, the lobby analysis arrives by itself (free)
    💬 In any chat type <code>@{$bot} nickname</code> for a profile card or <code>@{$bot} room link</code> for the lobby summary
