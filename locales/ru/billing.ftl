# Billing (src/billing): тарифы, оплата Telegram Stars, окончание, рефералы. Telegram HTML. Все id начинаются с "billing-".

bot-cmd-subscribe = Тарифы и цены в Telegram Stars
bot-cmd-subscription = Мой тариф, срок и лимит
bot-cmd-referral = Пригласить друзей и получить PREMIUM
bot-cmd-paysupport = Помощь с оплатой или возвратом
bot-cmd-terms = Условия покупки
billing-help = 💎 /subscribe — тарифы (оплата Telegram Stars), /subscription — ваш тариф, /referral — приглашайте друзей и получайте дни PREMIUM, /paysupport — помощь с оплатой, /terms — условия

## /subscribe
billing-plans = <b>💎 Тарифы</b> (анализов в день)
    FREE — {$free}
    <b>PREMIUM</b> — {$premium}: {$premiumMonth} ⭐ в месяц или {$premiumYear} ⭐ в год
    <b>PRO</b> — {$pro}, самая быстрая очередь: {$proMonth} ⭐ в месяц или {$proYear} ⭐ в год

    Оплата в Telegram Stars. Повторная покупка того же тарифа продлевает его от даты окончания. PRO, купленный во время PREMIUM, начинается сразу, а неиспользованные дни PREMIUM сохраняются и продолжатся после окончания PRO.
billing-button-month = {$plan} · месяц · {$stars} ⭐
billing-button-year = {$plan} · год · {$stars} ⭐
billing-button-renew = Продлить {$plan} · {$stars} ⭐
billing-button-plans = 💎 Все тарифы
billing-button-upgrade = 💎 Повысить тариф
billing-invoice-title-month = {$plan} на 30 дней
billing-invoice-title-year = {$plan} на 365 дней
billing-invoice-description-premium = PREMIUM: больше анализов лобби в день. Тариф включается сразу после оплаты.
billing-invoice-description-pro = PRO: больше всего анализов в день и самая быстрая очередь. Тариф включается сразу после оплаты.
billing-invoice-label-month = {$plan}, 30 дней
billing-invoice-label-year = {$plan}, 365 дней
billing-invoice-private-only = Тариф можно купить в личном чате со мной.

## Отказы перед оплатой (Telegram показывает их в окне оплаты)
billing-precheckout-invalid = Этот счёт недействителен. Откройте /subscribe и выберите тариф заново.
billing-precheckout-foreign = Этот счёт выставлен другому пользователю. Откройте /subscribe, чтобы получить свой.
billing-precheckout-currency = Этот счёт можно оплатить только в Telegram Stars.
billing-precheckout-stale = Срок действия счёта истёк. Откройте /subscribe, чтобы получить новый.
billing-precheckout-price-changed = Цена изменилась с момента выставления счёта. Откройте /subscribe, чтобы увидеть актуальную.
billing-precheckout-amount = Сумма не совпадает со счётом. Откройте /subscribe и попробуйте ещё раз.
billing-precheckout-no-effect = У вас уже есть {$current} без срока окончания: покупка {$plan} ничего не добавит, поэтому оплата не списана. Подробнее: /subscription.
billing-payment-unmatched = ⚠️ Оплата пришла, но я не смог сопоставить её со счётом. Администратор уже знает и разберётся или вернёт деньги.
billing-charge-rejected = ↩️ Ваш платёж на {$stars} ⭐ возвращён полностью: {$reason}. Звёзды снова на вашем балансе, тариф не изменился. Чтобы купить тариф, откройте /subscribe и получите новый счёт.
billing-rejected-invalid = счёт не удалось подтвердить как выставленный мной
billing-rejected-foreign = счёт был выставлен другому пользователю
billing-rejected-currency = оплата была не в Telegram Stars
billing-rejected-amount = оплаченная сумма не совпала со счётом

## Подтверждения и таймеры
billing-paid = ✅ Оплата получена. <b>{$plan}</b> действует до {$until}.
billing-credit-line = После него продолжится сохранённый <b>{$plan}</b> — до {$until}.
billing-open-ended = без срока
billing-reminder = ⏰ Ваш <b>{$plan}</b> заканчивается {$until}. Продлите сейчас — новый период начнётся после окончания текущего.
billing-expired = Ваш <b>{$plan}</b> закончился, теперь у вас FREE. Тарифы: /subscribe
billing-expired-credit = Ваш <b>{$plan}</b> закончился. Снова действует сохранённый <b>{$next}</b> — до {$until}.
billing-refunded = ↩️ {$stars} ⭐ за <b>{$plan}</b> возвращены, оплаченные дни отменены. Ваш тариф сейчас: <b>{$current}</b>.

## /subscription
billing-subscription-free = Ваш тариф: <b>FREE</b>.
    Анализов сегодня: {$used}/{$limit}.
billing-subscription-active = Ваш тариф: <b>{$plan}</b> до {$until} ({$source}).
    Анализов сегодня: {$used}/{$limit}.
billing-subscription-credit = Сохранено: <b>{$plan}</b>, дней: {$days} — продолжится после окончания текущего тарифа, до {$until}.
billing-subscription-rule = Продление считается от даты окончания; более высокий тариф начинается сразу, а неиспользованные дни более низкого сохраняются.
billing-source-payment = оплачен Stars
billing-source-referral = реферальный бонус
billing-source-admin = выдан администратором
billing-source-legacy = перенесён из старого бота

## /referral
billing-referral = <b>🎁 Приглашайте друзей</b>
    Ваш код: <code>{$code}</code>
    Ваша ссылка: {$link}

    Друг, который запустит бота по вашей ссылке, получит {$newDays} дн. PREMIUM, а вы — {$referrerDays} дн., когда друг окажется настоящим игроком:
    • привязал аккаунт FACEIT и сделал хотя бы один анализ,
    • не раньше чем через {$minAgeHours} ч после прихода;
    • один бонус на аккаунт FACEIT навсегда (отвязка его не сбрасывает; ваш собственный аккаунт не считается);
    • вы получаете не больше {$cap} бонусов в месяц (в этом месяце: {$thisMonth}); друзья свои дни получают в любом случае.
    Присоединились: {$joined} · с бонусом: {$rewarded} · заработано дней: {$days}
billing-referral-reward-new = 🎁 Спасибо, что пришли по ссылке друга: вам {$days} дн. PREMIUM. <b>{$plan}</b> действует до {$until}.
billing-referral-reward-referrer = 🎁 Приглашённый вами друг привязал FACEIT и сделал первый анализ: вам {$days} дн. PREMIUM. <b>{$plan}</b> действует до {$until}.

## /paysupport и /terms (Telegram требует обе команды от ботов, продающих за Stars)
billing-paysupport = <b>💬 Помощь с оплатой</b>
    Вопрос об оплате, возврате или тарифе: напишите {$contact} и укажите идентификатор платежа ниже.
    Платёж, который не удаётся сопоставить с моим счётом, возвращается автоматически. Любой другой платёж можно вернуть по запросу: оплаченные им дни отменяются.
billing-paysupport-contact-none = администратору бота
billing-paysupport-none = У вас пока нет платежей.
billing-paysupport-charges = Ваши последние платежи:
billing-paysupport-charge = {$date} · {$stars} ⭐ · {$status} · <code>{$chargeId}</code>
billing-charge-status-recorded = обрабатывается
billing-charge-status-credited = зачислен
billing-charge-status-rejected = возвращается
billing-charge-status-refunded = возвращён
billing-terms = <b>📄 Условия покупки</b>
    • PREMIUM ({$premium} анализов в день) и PRO ({$pro} в день, самая быстрая очередь) — цифровые услуги, продаются за Telegram Stars на 30 или 365 дней с момента оплаты. Цены — в /subscribe; счёт можно оплатить в течение {$ttl} ч.
    • Повторная покупка тарифа продлевает его от даты окончания; более высокий тариф начинается сразу, а неиспользованные дни младшего сохраняются. Покупка, которая ничего не добавит (например, к тарифу без срока окончания), отклоняется до оплаты.
    • Возврат: платёж, который не удаётся сопоставить со счётом, возвращается автоматически; любой другой — по запросу через /paysupport, оплаченные им дни отменяются.
    • Анализы и прогнозы основаны на открытых данных FACEIT и являются оценкой, а не гарантией. Бот не связан с FACEIT.
    • Оплата в Telegram Stars также регулируется условиями Telegram.
