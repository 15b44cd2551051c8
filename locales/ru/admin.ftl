# Инструменты администратора (src/admin). Telegram HTML: переменные приходят уже экранированными.

admin-help =
    🛠 <b>Админка</b>
    <code>/admin stats</code> — пользователи, тарифы, анализы, бюджет FACEIT, выручка
    <code>/admin user &lt;id | @username | ник FACEIT&gt;</code> — карточка пользователя: выдать / отозвать / вернуть
    <code>/admin grant &lt;пользователь&gt; &lt;premium|pro&gt; [дней]</code> — выдать тариф (по умолчанию 30 дней)
    <code>/admin revoke &lt;пользователь&gt;</code> — вернуть на FREE
    <code>/admin refund &lt;charge id&gt;</code> — вернуть оплату звёздами
    <code>/admin queues</code> — очереди задач: бэклог, воркеры, запущенные workflow
    <code>/broadcast &lt;текст&gt;</code> (или ответом на сообщение) — рассылка
admin-stats =
    📊 <b>Статистика</b>
    👥 Пользователи: <b>{$total}</b> · активны за 24 ч: {$active24h} · за 7 дн.: {$active7d}
        по языкам: {$languages}
    💳 Тарифы: FREE {$free} · PREMIUM {$premium} · PRO {$pro} · истекают в течение 7 дней: {$expiring}
    🔎 Анализов сегодня: <b>{$analyses}</b> (доставлено {$delivered}) · p50 {$p50} · p95 {$p95}
    🌐 Запросов к FACEIT за час: <b>{$calls}</b> из {$budget} ({$share})
    👀 Отслеживается игроков: {$tracked} в {$chats} чатах · уведомлений сегодня: {$notifications}
    ⭐ Звёзд за месяц: <b>{$stars}</b> (оплат: {$payments}, возвратов: {$refunded})
admin-user-usage = Отправь <code>/admin user &lt;telegram id | @username | ник FACEIT&gt;</code>.
admin-user-not-found = Никто не найден по запросу <b>{$query}</b>.
admin-user-also = Также подходят: {$ids}
admin-user-card =
    👤 <b>{$name}</b> {$username} · <code>{$id}</code>
    🗣 {$language} · с нами с {$registered} · последняя активность {$active}
    {$blocked}
    💳 Тариф: <b>{$plan}</b> {$expiry}
    🔎 Анализов сегодня: {$used} из {$quota} · запросов всего: {$requests}
    🎮 FACEIT: {$faceit}
    🤝 Рефералы: привёл {$referrals} · пришёл от {$referrer}
admin-user-blocked = ⛔ Заблокировал бота ({$since})
admin-user-not-blocked = ✅ Доступен
admin-user-expiry = до {$date}
admin-user-expiry-none = бессрочно
admin-user-no-faceit = не привязан
admin-user-nobody = никого
admin-user-payments = 🧾 Оплаты:
admin-user-payment = • {$date} · {$amount} ⭐ · {$plan}/{$period} · <code>{$charge}</code>{$refunded}
admin-user-payment-refunded = {" "}(возвращена)
admin-user-no-payments = 🧾 Оплат нет.
admin-btn-grant = ⭐ +{$days} дн. {$plan}
admin-btn-revoke = ⛔ Отозвать тариф
admin-btn-refund = 💸 Вернуть {$amount} ⭐ ({$date})
admin-btn-confirm-revoke = ⛔ Да, отозвать тариф
admin-btn-confirm-refund = 💸 Да, вернуть {$amount} ⭐
admin-btn-back = ↩️ Назад
admin-grant-usage = Отправь <code>/admin grant &lt;пользователь&gt; &lt;premium|pro&gt; [дней]</code>, от 1 до 3650 дней.
admin-revoke-usage = Отправь <code>/admin revoke &lt;пользователь&gt;</code>.
admin-refund-usage = Отправь <code>/admin refund &lt;telegram payment charge id&gt;</code>.
admin-granted = ✅ {$plan} на {$days} дн. выдан <code>{$id}</code>: {$expiry}.
admin-revoked = ✅ <code>{$id}</code> теперь на FREE.
admin-refunded = ✅ Возвращено {$amount} ⭐ пользователю <code>{$id}</code> (charge <code>{$charge}</code>).
admin-refund-not-found = Нет оплаты с charge id <b>{$charge}</b>.
admin-refund-already = Эта оплата уже возвращена.
admin-action-failed = ⚠️ Не получилось: {$reason}
admin-temporal-timeout = Temporal не ответил вовремя. Уже начатое завершится само: проверьте (/admin user), прежде чем повторять.
admin-billing-unavailable = ⚠️ Менять тарифы здесь пока нельзя: модуль оплаты не подключён.
admin-queues-title = 🧵 <b>Очереди задач</b> (бэклог · воркеры)
admin-queues-line = <b>{$tier}</b> <code>{$queue}</code>: задачи workflow {$wfBacklog} · воркеров {$wfPollers}; задачи activity {$actBacklog} · воркеров {$actPollers}{$age}; запущено {$running}
admin-queues-age = {" "}(старейшей {$seconds} с)
admin-queues-running = ▶️ Запущено workflow: <b>{$total}</b>
admin-queues-type = • {$type}: {$count}
admin-queues-truncated = (по типам посчитаны первые {$listed})
admin-queues-failed = ⚠️ Temporal не ответил: {$reason}
