# Billing (src/billing): plans, Telegram Stars payments, expiry, referrals. Telegram HTML. Every id starts with "billing-".

bot-cmd-subscribe = Plans and Telegram Stars prices
bot-cmd-subscription = My plan, its expiry and quota
bot-cmd-referral = Invite friends, earn PREMIUM days
bot-cmd-paysupport = Help with a payment or a refund
bot-cmd-terms = Terms of purchase
billing-help = 💎 /subscribe — plans (paid in Telegram Stars), /subscription — your plan, /referral — invite friends for free PREMIUM days, /paysupport — help with a payment, /terms — terms

## /subscribe
billing-plans = <b>💎 Plans</b> (analyses per day)
    FREE — {$free}
    <b>PREMIUM</b> — {$premium}: {$premiumMonth} ⭐ a month or {$premiumYear} ⭐ a year
    <b>PRO</b> — {$pro}, fastest queue: {$proMonth} ⭐ a month or {$proYear} ⭐ a year

    Paid in Telegram Stars. Buying your current plan again extends it from its expiry. PRO bought during PREMIUM starts at once, and your unused PREMIUM days are kept: they resume when PRO ends.
billing-button-month = {$plan} · month · {$stars} ⭐
billing-button-year = {$plan} · year · {$stars} ⭐
billing-button-renew = Renew {$plan} · {$stars} ⭐
billing-button-plans = 💎 All plans
billing-button-upgrade = 💎 Upgrade
billing-invoice-title-month = {$plan} for 30 days
billing-invoice-title-year = {$plan} for 365 days
billing-invoice-description-premium = PREMIUM: more lobby analyses per day. The plan starts as soon as the payment goes through.
billing-invoice-description-pro = PRO: the most analyses per day and the fastest queue. The plan starts as soon as the payment goes through.
billing-invoice-label-month = {$plan}, 30 days
billing-invoice-label-year = {$plan}, 365 days
billing-invoice-private-only = Plans can be bought in a private chat with me.

## Pre-checkout refusals (shown by Telegram in the payment window)
billing-precheckout-invalid = This invoice is not valid. Open /subscribe and choose a plan again.
billing-precheckout-foreign = This invoice was issued to another user. Open /subscribe to get your own.
billing-precheckout-currency = This invoice can only be paid in Telegram Stars.
billing-precheckout-stale = This invoice has expired. Open /subscribe for a new one.
billing-precheckout-price-changed = The price has changed since this invoice was issued. Open /subscribe for the current price.
billing-precheckout-amount = The amount does not match the invoice. Open /subscribe and try again.
billing-precheckout-no-effect = You already have {$current} with no end date: buying {$plan} would add nothing, so nothing was charged. See /subscription.
billing-payment-unmatched = ⚠️ Your payment arrived, but I could not match it to an invoice. An administrator has been told and will sort it out or refund it.
billing-charge-rejected = ↩️ Your payment of {$stars} ⭐ was refunded in full: {$reason}. The Stars are back on your balance and your plan has not changed. To buy a plan, open /subscribe for a new invoice.
billing-rejected-invalid = its invoice could not be verified as one of mine
billing-rejected-foreign = its invoice was issued to another user
billing-rejected-currency = it was not paid in Telegram Stars
billing-rejected-amount = the amount paid did not match the invoice

## Confirmations and timers
billing-paid = ✅ Payment received. <b>{$plan}</b> is active until {$until}.
billing-credit-line = Your banked <b>{$plan}</b> resumes afterwards and lasts until {$until}.
billing-open-ended = no end date
billing-reminder = ⏰ Your <b>{$plan}</b> ends on {$until}. Renew now and the new period starts when this one ends.
billing-expired = Your <b>{$plan}</b> has ended; you are on FREE now. Plans: /subscribe
billing-expired-credit = Your <b>{$plan}</b> has ended. Your banked <b>{$next}</b> is active again until {$until}.
billing-refunded = ↩️ {$stars} ⭐ for <b>{$plan}</b> were refunded and the days it bought were taken back. Your plan now: <b>{$current}</b>.

## /subscription
billing-subscription-free = Your plan: <b>FREE</b>.
    Analyses today: {$used}/{$limit}.
billing-subscription-active = Your plan: <b>{$plan}</b> until {$until} ({$source}).
    Analyses today: {$used}/{$limit}.
billing-subscription-credit = Banked: <b>{$plan}</b>, {$days} days — resumes when the current plan ends, until {$until}.
billing-subscription-rule = Renewing extends from the expiry; a higher plan starts at once and banks the unused days of the lower one.
billing-source-payment = paid with Stars
billing-source-referral = referral reward
billing-source-admin = granted by an administrator
billing-source-legacy = carried over from the old bot

## /referral
billing-referral = <b>🎁 Invite friends</b>
    Your code: <code>{$code}</code>
    Your link: {$link}

    A friend who starts the bot with your link gets {$newDays} days of PREMIUM, and you get {$referrerDays} days, once the friend is a real player:
    • linked a FACEIT account and ran at least one analysis,
    • at least {$minAgeHours} h after joining;
    • one reward per FACEIT account, ever (unlinking does not reset it; never your own account);
    • you earn at most {$cap} rewards a month (this month: {$thisMonth}); your friends still get theirs.
    Joined: {$joined} · rewarded: {$rewarded} · days earned: {$days}
billing-referral-reward-new = 🎁 Thanks for joining with a friend's link: {$days} days of PREMIUM are yours. <b>{$plan}</b> is active until {$until}.
billing-referral-reward-referrer = 🎁 A friend you invited linked FACEIT and ran their first analysis: you get {$days} days of PREMIUM. <b>{$plan}</b> is active until {$until}.

## /paysupport and /terms (Telegram requires both of bots selling for Stars)
billing-paysupport = <b>💬 Payment support</b>
    A question about a payment, a refund or your plan: write to {$contact} and quote the charge id below.
    A payment that cannot be matched to one of my invoices is refunded automatically. Any other payment can be refunded on request: the days it bought are taken back.
billing-paysupport-contact-none = the bot's administrator
billing-paysupport-none = You have no payments yet.
billing-paysupport-charges = Your latest payments:
billing-paysupport-charge = {$date} · {$stars} ⭐ · {$status} · <code>{$chargeId}</code>
billing-charge-status-recorded = being processed
billing-charge-status-credited = credited
billing-charge-status-rejected = being refunded
billing-charge-status-refunded = refunded
billing-terms = <b>📄 Terms of purchase</b>
    • PREMIUM ({$premium} analyses a day) and PRO ({$pro} a day, the fastest queue) are digital services, sold for Telegram Stars for 30 or 365 days from the payment. Prices are in /subscribe; an invoice can be paid for {$ttl} h.
    • Buying your plan again extends it from its expiry; a higher plan starts at once and banks the unused days of the lower one. A purchase that would add nothing (e.g. a plan without an end date) is refused before you pay.
    • Refunds: a payment that cannot be matched to an invoice is refunded automatically; any other on request through /paysupport, and the days it bought are taken back.
    • Analyses and forecasts are based on FACEIT's public data and are estimates, not guarantees. This bot is not affiliated with FACEIT.
    • Payments in Telegram Stars are also subject to Telegram's terms of service.
