# Pre-match lobby analysis (src/analysis/render.ts). Telegram HTML: variables arrive already escaped.

analysis-progress = ⏳ Collecting player stats… {$bar} {$done}/{$total}

analysis-rejected-finished = This match is already finished — lobby analysis is only available before and during the game.
analysis-rejected-cancelled = This match was cancelled — there is nothing to analyse.
analysis-rejected-not-two-teams = This match does not have two teams of players, so it cannot be analysed.

analysis-title = 🎯 <b>Lobby analysis</b>
analysis-competition = 🏆 {$competition}
analysis-map-picked = 🗺 Map: <b>{$map}</b>
analysis-map-not-picked = 🗺 Map not picked yet
analysis-versus = ⚔️ <b>{$team1}</b> vs <b>{$team2}</b>
analysis-you-play-for = 👤 You play for <b>{$team}</b>
analysis-win-chance-us = 📊 Win chance: <b>{$p}%</b>
analysis-win-chance-neutral = 📊 Chances: {$team1} <b>{$p1}%</b> — <b>{$p2}%</b> {$team2}
analysis-win-chance-unknown = 📊 Win chance: no ELO data
analysis-stake-us = 💰 At stake: <b>+{$gain}</b> for a win / <b>−{$loss}</b> for a loss
analysis-stake-neutral = 💰 ELO: {$team1} <b>+{$gain1}</b>/<b>−{$loss1}</b> · {$team2} <b>+{$gain2}</b>/<b>−{$loss2}</b>

analysis-team-us = 🟦 <b>Your team — {$name}</b>
analysis-team-them = 🟥 <b>Opponents — {$name}</b>
analysis-team-neutral = ⚪ <b>{$name}</b>
analysis-team-summary = Avg ELO <b>{$elo}</b> · avg level {$level}
analysis-team-no-data = { $n ->
    [one] no data for {$n} player
   *[other] no data for {$n} players
  }

analysis-player-head = {$threat} <b>{$nick}</b>{$you}{$level}{$elo}
analysis-player-level = {" "}· lvl {$level}
analysis-player-elo = {" "}· {$elo} ELO
analysis-player-you = {" "}(you)
analysis-player-stats = K/D {$kd} · ADR {$adr} · HS {$hs}% · R {$rating} · WR {$wr}%
analysis-player-no-data = no data
analysis-player-matches = { $n ->
    [one] {$n} match
   *[other] {$n} matches
  }
analysis-player-source-lifetime = lifetime

analysis-role-awper = 🔭 AWPer
analysis-role-entry = 🚪 entry
analysis-role-support = 🧪 support
analysis-role-rifler = 🔫 rifler

analysis-form-win = W
analysis-form-loss = L

analysis-flag-small-sample = ⚠️ few matches
analysis-flag-smurf = 🕵️ possible smurf

analysis-signal-new = 🆕 new account: {$facts}{$level}
analysis-signal-smurf = 🕵️ smurf? new account: {$facts}{$level}
analysis-signal-days = { $n ->
    [one] {$n} day
   *[other] {$n} days
  }
analysis-signal-kd = K/D {$kd}
analysis-signal-adr = ADR {$adr}
analysis-signal-wr = WR {$wr}%
analysis-signal-level = {" "}at level {$level}
analysis-party = 👥 party of {$n}: {$members} ({ $shared ->
    [one] {$shared} shared recent match
   *[other] {$shared} shared recent matches
  }{$won})
analysis-party-won = , {$won} won

analysis-dangerous-title = ☠️ <b>Most dangerous</b>
analysis-weakest-title = 🎯 <b>Weakest links</b>
analysis-danger-line = {$threat} <b>{$nick}</b> — R {$rating} · K/D {$kd} · WR {$wr}%
analysis-danger-team = <b>{$team}</b>: {$players}
analysis-danger-none = no data

analysis-maps-title = 🗺 <b>Maps</b>
analysis-maps-hint-us = edge = our score − their score, in points
analysis-maps-hint-neutral = team scores on the map, out of 100
analysis-map-line-us = {$mark} <b>{$map}</b> {$advantage} — {$verdict} · {$confidence}
analysis-map-line-neutral = {$mark} <b>{$map}</b> {$score1}:{$score2} — {$verdict} · {$confidence}
analysis-map-picked-suffix = {" "}(picked)
analysis-verdict-pick = ✅ pick
analysis-verdict-ban = ❌ ban
analysis-verdict-neutral = ➖ no clear edge
analysis-verdict-favours = favours <b>{$team}</b>
analysis-confidence-low = low confidence
analysis-confidence-medium = medium confidence
analysis-confidence-high = high confidence
analysis-maps-none = No map data.
analysis-maps-age = ⏳ <i>per-map records updated { $unit ->
        [days] { $n } d
       *[hours] { $n } h
    } ago</i>

analysis-edge-hint-us = edge = change of our win chance on the map, in points, ± 95 % interval
analysis-edge-hint-neutral = edge for {$team}, in points of win chance, ± 95 % interval
analysis-edge-value = {$points} ± {$margin} pp
analysis-edge-line = {$mark} <b>{$map}</b> {$edge} — {$verdict} · {$evidence}
analysis-edge-ours = ✅ likely edge for us
analysis-edge-theirs = ❌ likely edge for them
analysis-edge-team = likely edge: <b>{$team}</b>
analysis-edge-unclear = ➖ unclear
analysis-edge-evidence = {$first} / {$second} matches per player on this map
analysis-veto-they-ban = 🚫 They will likely ban: {$maps}
analysis-veto-they-pick = 🎯 They will likely pick: {$maps}
analysis-veto-team-bans = 🚫 <b>{$team}</b> will likely ban: {$maps}
analysis-veto-team-picks = 🎯 <b>{$team}</b> will likely pick: {$maps}
analysis-veto-avoided = {$map} (rarely played: {$per} matches per player)
analysis-veto-lost = {$map} ({$wr}% won)
analysis-veto-played = {$map} ({$per} matches per player, {$wr}% won)
analysis-veto-advice = 💡 {$advice}
analysis-veto-our-bans = ban {$maps}
analysis-veto-our-picks = pick {$maps}
analysis-veto-no-pick = no map is a likely edge for us

analysis-legend = Threat: 🟢 1 · 🟡 2 · 🟠 3 · 🔴 4 · ☠️ 5 · ❔ no data. R — HLTV 2.0-style rating, WR — win rate, form — last 10 matches (newest first).

# The lobby card (src/analysis/card.ts): plain text drawn on the picture (no HTML, no emoji: the font has none).
analysis-card-title = Lobby analysis
analysis-card-map = Map: {$map}
analysis-card-map-open = Map not picked yet
analysis-card-chance = Win chance
analysis-card-chance-us = Win chance (your team left)
analysis-card-elo-alone = ELO alone
analysis-card-no-chance = Win chance: no ELO data
analysis-card-team-summary = avg ELO {$elo} · avg level {$level}
analysis-card-us = your team
analysis-card-col-level = LVL
analysis-card-col-player = Player
analysis-card-col-role = Role
analysis-card-col-threat = Threat
analysis-card-role-awper = AWPer
analysis-card-role-entry = entry
analysis-card-role-support = support
analysis-card-role-rifler = rifler
analysis-card-new = NEW
analysis-card-smurf = SMURF?
analysis-card-no-data = no data
analysis-card-maps = Maps
analysis-card-maps-none = No map data
analysis-card-col-map = Map
analysis-card-col-edge = Edge, pp ± 95 %
analysis-card-col-score = Scores
analysis-card-col-verdict = Likely edge
analysis-card-col-evidence = Matches per player
analysis-card-picked = picked
analysis-card-edge-us = us
analysis-card-edge-them = them
analysis-card-unclear = unclear
analysis-card-legend = Threat 1–5 · brackets join likely parties · NEW / SMURF? are signals, not verdicts · details below
analysis-card-details = 📋 <b>Details</b> (tap a player list to expand)
analysis-card-below = ⬇️ The report is below.
