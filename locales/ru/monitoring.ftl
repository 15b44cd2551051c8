# Отслеживание игроков (src/monitoring). Telegram HTML: переменные приходят уже экранированными.

monitoring-result-win = 🟢 <b>Победа</b>
monitoring-result-loss = 🔴 <b>Поражение</b>
monitoring-result-unknown = ⚪ <b>Матч завершён</b>
monitoring-head = {$result} · {$map} · <b>{$score}</b>
monitoring-line = 👤 <b>{$nick}</b>{$mark} — {$kills}-{$deaths}-{$assists} (K/D {$kd}) · ADR {$adr} · HS {$hs}%
monitoring-multikills = 🔥 {$list}
monitoring-elo = ELO {$elo}
monitoring-elo-up = 📈 ELO {$elo} (<b>{$delta}</b>)
monitoring-elo-down = 📉 ELO {$elo} (<b>{$delta}</b>)
monitoring-elo-same = ELO {$elo} ({$delta})
monitoring-room = 🔗 <a href="{$url}">Комната матча</a>

monitoring-track-usage = Отправьте <code>/track ник</code> (или ссылку на профиль FACEIT), чтобы следить за игроком, или сначала привяжите свой аккаунт, чтобы следить за собой командой <code>/track</code>.
monitoring-track-added = ✅ Слежу за <b>{$nick}</b>: после каждого его матча в этот чат придёт сообщение.
monitoring-track-already = За <b>{$nick}</b> в этом чате уже следят.
monitoring-track-not-found = ❔ Игрок <b>{$query}</b> не найден на FACEIT (или у него нет профиля CS2).
monitoring-track-limit = В этом чате уже отслеживается {$max} игроков — это максимум. Уберите кого-нибудь командой <code>/untrack ник</code>.
monitoring-track-failed = ⚠️ FACEIT не ответил вовремя. Попробуйте ещё раз через минуту.
monitoring-admins-only = Менять список отслеживаемых игроков могут только администраторы группы.
monitoring-untrack-done = 🛑 Больше не слежу за <b>{$nick}</b>.
monitoring-untrack-not-tracked = За <b>{$query}</b> в этом чате не следят.
monitoring-untrack-usage = За кем перестать следить? Отправьте <code>/untrack ник</code>. {$list}
monitoring-tracked-empty = В этом чате пока никого не отслеживают. Отправьте <code>/track ник</code>, чтобы начать.
monitoring-tracked-title = 👀 <b>Отслеживаемые игроки</b> ({$count}/{$max}):
monitoring-tracked-item = • <a href="{$url}">{$nick}</a> — {$last}
monitoring-tracked-never = матчей пока не видел
monitoring-tracked-last = последний матч {$ago}
monitoring-tracked-off = 🔕 Уведомления в этом чате выключены.
monitoring-ago-minutes = { $n ->
    [one] {$n} минуту назад
    [few] {$n} минуты назад
   *[many] {$n} минут назад
  }
monitoring-ago-hours = { $n ->
    [one] {$n} час назад
    [few] {$n} часа назад
   *[many] {$n} часов назад
  }
monitoring-ago-days = { $n ->
    [one] {$n} день назад
    [few] {$n} дня назад
   *[many] {$n} дней назад
  }
