# Monitoring of tracked players (src/monitoring). Telegram HTML: variables arrive already escaped.

monitoring-result-win = 🟢 <b>Victory</b>
monitoring-result-loss = 🔴 <b>Defeat</b>
monitoring-result-unknown = ⚪ <b>Match finished</b>
monitoring-head = {$result} · {$map} · <b>{$score}</b>
monitoring-line = 👤 <b>{$nick}</b>{$mark} — {$kills}-{$deaths}-{$assists} (K/D {$kd}) · ADR {$adr} · HS {$hs}%
monitoring-multikills = 🔥 {$list}
monitoring-elo = ELO {$elo}
monitoring-elo-up = 📈 ELO {$elo} (<b>{$delta}</b>)
monitoring-elo-down = 📉 ELO {$elo} (<b>{$delta}</b>)
monitoring-elo-same = ELO {$elo} ({$delta})
monitoring-room = 🔗 <a href="{$url}">Match room</a>

monitoring-track-usage = Send <code>/track nickname</code> (or a FACEIT profile link) to follow a player, or link your own account first to track yourself with plain <code>/track</code>.
monitoring-track-added = ✅ Tracking <b>{$nick}</b>: this chat gets a message after each of their matches.
monitoring-track-already = <b>{$nick}</b> is already tracked here.
monitoring-track-not-found = ❔ No FACEIT player <b>{$query}</b> (or no CS2 profile).
monitoring-track-limit = This chat already tracks {$max} players — the most allowed. Remove one with <code>/untrack nickname</code>.
monitoring-track-failed = ⚠️ FACEIT did not answer in time. Please try again in a minute.
monitoring-admins-only = Only group admins can change the list of tracked players.
monitoring-untrack-done = 🛑 No longer tracking <b>{$nick}</b>.
monitoring-untrack-not-tracked = <b>{$query}</b> is not tracked in this chat.
monitoring-untrack-usage = Which one? Send <code>/untrack nickname</code>. {$list}
monitoring-tracked-empty = Nobody is tracked in this chat yet. Send <code>/track nickname</code> to start.
monitoring-tracked-title = 👀 <b>Tracked players</b> ({$count}/{$max}):
monitoring-tracked-item = • <a href="{$url}">{$nick}</a> — {$last}
monitoring-tracked-never = no matches seen yet
monitoring-tracked-last = last match {$ago}
monitoring-tracked-off = 🔕 Notifications are turned off for this chat.
monitoring-ago-minutes = { $n ->
    [one] {$n} minute ago
   *[other] {$n} minutes ago
  }
monitoring-ago-hours = { $n ->
    [one] {$n} hour ago
   *[other] {$n} hours ago
  }
monitoring-ago-days = { $n ->
    [one] {$n} day ago
   *[other] {$n} days ago
  }
