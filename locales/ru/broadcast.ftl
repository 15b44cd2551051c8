# Рассылки (src/broadcast). Telegram HTML: переменные приходят уже экранированными.

broadcast-usage = Отправь <code>/broadcast текст</code> (форматирование сохранится) или ответь на любое сообщение командой <code>/broadcast</code>, чтобы разослать его копию.
broadcast-too-long = Текст слишком длинный для одного сообщения ({$length} из 4096 символов).
broadcast-preview-failed = ⚠️ Это сообщение нельзя разослать: {$reason}
broadcast-preview-title = ☝️ Так сообщение увидят пользователи.
broadcast-controls =
    📣 <b>Рассылка #{$id}</b>
    Получатели: <b>{$audience}</b> — <b>{$size}</b> (заблокировавшие бота не входят).
    Выбери получателей и подтверди.
broadcast-audience-all = все пользователи
broadcast-audience-free = FREE
broadcast-audience-premium = PREMIUM
broadcast-audience-pro = PRO
broadcast-audience-ru = русский язык
broadcast-audience-en = английский язык
broadcast-btn-confirm = ✅ Отправить {$size}
broadcast-btn-discard = 🗑 Удалить
broadcast-btn-pause = ⏸ Пауза
broadcast-btn-resume = ▶️ Продолжить
broadcast-btn-cancel = ✖️ Отменить
broadcast-empty-audience = В этой аудитории никого нет.
broadcast-discarded = 🗑 Рассылка #{$id} удалена.
broadcast-not-draft = Эта рассылка уже не черновик.
broadcast-starting = 📣 <b>Рассылка #{$id}</b> ({$audience}): запускается…
broadcast-start-failed = ⚠️ Рассылка не запустилась: {$reason}
broadcast-state-running = идёт отправка
broadcast-state-paused = ⏸ на паузе
broadcast-state-preparing = подготовка
broadcast-state-finishing = завершение
broadcast-state-finished = завершена
broadcast-progress =
    📣 <b>Рассылка #{$id}</b> ({$audience}) — {$state}
    {$bar} {$done}/{$total}
    ✅ отправлено {$sent} · ⛔ заблокировали {$blocked} · ⚠️ ошибки {$failed}{$uncertain}
broadcast-uncertain = {" "}· ❔ без подтверждения {$n}
broadcast-report =
    📣 <b>Рассылка #{$id}</b> ({$audience}) — {$status} за {$duration}
    ✅ Отправлено: <b>{$sent}</b> из {$total}
    ⛔ Заблокировали бота: {$blocked} (в следующий раз пропустим)
    ⚠️ Ошибки: {$failed}
    ❔ Без подтверждения (ответ потерян; повторно не отправляется): {$uncertain}
    ⏹ Не отправлено (отмена): {$notSent}
broadcast-status-completed = ✅ готово
broadcast-status-cancelled = ✖️ отменена
broadcast-status-failed = ⚠️ остановлена из-за ошибки
broadcast-paused = ⏸ Пауза.
broadcast-resumed = ▶️ Продолжаем.
broadcast-cancelled = ✖️ Отменяем…
broadcast-control-failed = Эта рассылка уже не идёт.
