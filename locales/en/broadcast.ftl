# Broadcasts (src/broadcast). Telegram HTML: variables arrive already escaped.

broadcast-usage = Send <code>/broadcast your text</code> (your formatting is kept), or reply to any message with <code>/broadcast</code> to send a copy of it.
broadcast-too-long = The text is too long for one message ({$length} of at most 4096 characters).
broadcast-preview-failed = ⚠️ This message cannot be broadcast: {$reason}
broadcast-preview-title = ☝️ This is what users will get.
broadcast-controls =
    📣 <b>Broadcast #{$id}</b>
    Audience: <b>{$audience}</b> — <b>{$size}</b> recipients (users who blocked the bot are left out).
    Pick the audience, then confirm.
broadcast-audience-all = all users
broadcast-audience-free = FREE
broadcast-audience-premium = PREMIUM
broadcast-audience-pro = PRO
broadcast-audience-ru = Russian
broadcast-audience-en = English
broadcast-btn-confirm = ✅ Send to {$size}
broadcast-btn-discard = 🗑 Discard
broadcast-btn-pause = ⏸ Pause
broadcast-btn-resume = ▶️ Resume
broadcast-btn-cancel = ✖️ Cancel
broadcast-empty-audience = Nobody is in this audience.
broadcast-discarded = 🗑 Broadcast #{$id} discarded.
broadcast-not-draft = This broadcast is no longer a draft.
broadcast-starting = 📣 <b>Broadcast #{$id}</b> to {$audience}: starting…
broadcast-start-failed = ⚠️ The broadcast could not start: {$reason}
broadcast-state-running = sending
broadcast-state-paused = ⏸ paused
broadcast-state-preparing = preparing
broadcast-state-finishing = finishing
broadcast-state-finished = finished
broadcast-progress =
    📣 <b>Broadcast #{$id}</b> to {$audience} — {$state}
    {$bar} {$done}/{$total}
    ✅ sent {$sent} · ⛔ blocked {$blocked} · ⚠️ failed {$failed}{$uncertain}
broadcast-uncertain = {" "}· ❔ unconfirmed {$n}
broadcast-report =
    📣 <b>Broadcast #{$id}</b> to {$audience} — {$status} in {$duration}
    ✅ Sent: <b>{$sent}</b> of {$total}
    ⛔ Blocked the bot: {$blocked} (left out next time)
    ⚠️ Failed: {$failed}
    ❔ Unconfirmed (the answer was lost; never sent twice): {$uncertain}
    ⏹ Not sent (cancelled): {$notSent}
broadcast-status-completed = ✅ done
broadcast-status-cancelled = ✖️ cancelled
broadcast-status-failed = ⚠️ stopped by an error
broadcast-paused = ⏸ Paused.
broadcast-resumed = ▶️ Resumed.
broadcast-cancelled = ✖️ Cancelling…
broadcast-control-failed = This broadcast is not running any more.
