# Admin tools (src/admin). Telegram HTML: variables arrive already escaped.

admin-help =
    🛠 <b>Admin</b>
    <code>/admin stats</code> — users, plans, analyses, FACEIT budget, revenue
    <code>/admin user &lt;id | @username | FACEIT nickname&gt;</code> — a user's card with grant / revoke / refund
    <code>/admin grant &lt;user&gt; &lt;premium|pro&gt; [days]</code> — give a plan (30 days by default)
    <code>/admin revoke &lt;user&gt;</code> — back to FREE
    <code>/admin refund &lt;charge id&gt;</code> — refund a Stars payment
    <code>/admin queues</code> — backlog and pollers per task queue, running workflows
    <code>/broadcast &lt;text&gt;</code> (or as a reply to a message) — message users
admin-stats =
    📊 <b>Stats</b>
    👥 Users: <b>{$total}</b> · active 24 h: {$active24h} · 7 d: {$active7d}
        by language: {$languages}
    💳 Plans: FREE {$free} · PREMIUM {$premium} · PRO {$pro} · expiring within 7 days: {$expiring}
    🔎 Analyses today: <b>{$analyses}</b> (delivered {$delivered}) · p50 {$p50} · p95 {$p95}
    🌐 FACEIT calls in the last hour: <b>{$calls}</b> of {$budget} ({$share})
    👀 Tracked players: {$tracked} in {$chats} chats · notifications today: {$notifications}
    ⭐ Stars this month: <b>{$stars}</b> ({$payments} payments, {$refunded} refunded)
admin-user-usage = Send <code>/admin user &lt;telegram id | @username | FACEIT nickname&gt;</code>.
admin-user-not-found = No user matches <b>{$query}</b>.
admin-user-also = Also matching: {$ids}
admin-user-card =
    👤 <b>{$name}</b> {$username} · <code>{$id}</code>
    🗣 {$language} · registered {$registered} · last activity {$active}
    {$blocked}
    💳 Plan: <b>{$plan}</b> {$expiry}
    🔎 Analyses today: {$used} of {$quota} · requests in total: {$requests}
    🎮 FACEIT: {$faceit}
    🤝 Referrals: brought {$referrals} · referred by {$referrer}
admin-user-blocked = ⛔ Blocked the bot ({$since})
admin-user-not-blocked = ✅ Reachable
admin-user-expiry = until {$date}
admin-user-expiry-none = without end
admin-user-no-faceit = not linked
admin-user-nobody = nobody
admin-user-payments = 🧾 Payments:
admin-user-payment = • {$date} · {$amount} ⭐ · {$plan}/{$period} · <code>{$charge}</code>{$refunded}
admin-user-payment-refunded = {" "}(refunded)
admin-user-no-payments = 🧾 No payments.
admin-btn-grant = ⭐ +{$days} d {$plan}
admin-btn-revoke = ⛔ Revoke plan
admin-btn-refund = 💸 Refund {$amount} ⭐ ({$date})
admin-btn-confirm-revoke = ⛔ Yes, revoke the plan
admin-btn-confirm-refund = 💸 Yes, refund {$amount} ⭐
admin-btn-back = ↩️ Back
admin-grant-usage = Send <code>/admin grant &lt;user&gt; &lt;premium|pro&gt; [days]</code>, days from 1 to 3650.
admin-revoke-usage = Send <code>/admin revoke &lt;user&gt;</code>.
admin-refund-usage = Send <code>/admin refund &lt;telegram payment charge id&gt;</code>.
admin-granted = ✅ {$plan} for {$days} days given to <code>{$id}</code>: {$expiry}.
admin-revoked = ✅ <code>{$id}</code> is on FREE now.
admin-refunded = ✅ Refunded {$amount} ⭐ to <code>{$id}</code> (charge <code>{$charge}</code>).
admin-refund-not-found = No payment with charge id <b>{$charge}</b>.
admin-refund-already = This payment was already refunded.
admin-action-failed = ⚠️ It did not work: {$reason}
admin-temporal-timeout = Temporal did not answer in time. Anything it had already started finishes on its own: check (/admin user) before trying again.
admin-billing-unavailable = ⚠️ Plans cannot be changed here yet: the billing slice is not connected.
admin-queues-title = 🧵 <b>Task queues</b> (backlog · pollers)
admin-queues-line = <b>{$tier}</b> <code>{$queue}</code>: workflow tasks {$wfBacklog} · {$wfPollers} pollers; activity tasks {$actBacklog} · {$actPollers} pollers{$age}; running {$running}
admin-queues-age = {" "}(oldest {$seconds} s)
admin-queues-running = ▶️ Running workflows: <b>{$total}</b>
admin-queues-type = • {$type}: {$count}
admin-queues-truncated = (counted by type among the first {$listed})
admin-queues-failed = ⚠️ Temporal did not answer: {$reason}
