# Predictions: the model's two probabilities, outcomes, /accuracy, charts.
predictions-elo-alone = <i>   ELO alone: {$p}%</i>
predictions-elo-alone-neutral = <i>   ELO alone: {$p1}% — {$p2}%</i>

predictions-accuracy-title = 📏 <b>How often the bot is right</b>
predictions-accuracy-scope-all = <b>All analysed matches</b>
predictions-accuracy-scope-mine = <b>Matches you asked about</b>
predictions-accuracy-none = No scored match yet: a result is recorded within a few hours of each analysis.
predictions-accuracy-matches = Matches scored: <b>{$n}</b>
predictions-accuracy-favourite = Favourite won: ours <b>{$ours}</b> · ELO <b>{$elo}</b>
predictions-accuracy-brier = Brier (lower is better): ours <b>{$ours}</b> · ELO <b>{$elo}</b> · coin flip {$coin}
predictions-accuracy-logloss = Log-loss (lower is better): ours <b>{$ours}</b> · ELO <b>{$elo}</b> · coin flip {$coin}
predictions-accuracy-faceit = FACEIT's own probability, on the {$n} matches whose room carried it: favourite won <b>{$favourite}</b> · Brier <b>{$brier}</b> · log-loss <b>{$logloss}</b>
predictions-accuracy-small = <i>Only {$n} matches: differences this small are mostly luck. The figures mean something from about {$enough} matches.</i>
predictions-accuracy-confident = Calls of 60% or more that came true: ours <b>{$ours}</b> · ELO <b>{$elo}</b>
predictions-accuracy-baseline-elo = ELO alone (recalibrated)
predictions-accuracy-baseline-faceit = FACEIT's own probability
predictions-accuracy-diff = Ours − {$baseline}, {$n} matches (95% interval; below zero = ours is better): Brier {$brier} · log-loss {$logloss}
predictions-accuracy-verdict-too-few = <b>Too few matches to mean anything</b> ({$n}; about {$enough} are needed): not yet distinguishable from {$baseline}.
predictions-accuracy-verdict-indistinguishable = <b>Not yet distinguishable from {$baseline}</b>: the interval includes zero.
predictions-accuracy-verdict-better = <b>Better than {$baseline}</b> in Brier and log-loss: both intervals are below zero.
predictions-accuracy-verdict-worse = <b>Worse than {$baseline}</b> in Brier and log-loss: both intervals are above zero.
predictions-accuracy-not-scored = <i>{$n} finished matches are not scored: their first analysis came after the match had started (or already saw its result). Only the first prediction made before the start counts.</i>
predictions-accuracy-explain = <i>Brier is the mean squared error of the win probability (a coin flip scores 0.250); log-loss punishes confident misses (coin flip 0.693).</i>
predictions-reliability-title = Reliability: predicted vs actual
predictions-reliability-subtitle = {$n} matches · each point: how often the favourite won at that predicted chance
predictions-reliability-predicted = Predicted chance of the favourite
predictions-reliability-observed = Favourite won (share)
predictions-reliability-ours = Bot's model
predictions-reliability-elo = ELO only
predictions-reliability-perfect = Perfect calibration
predictions-reliability-caption = Reliability diagram: the closer to the dashed line, the more honest the percentages.

predictions-elo-button = 📈 ELO chart
predictions-elo-usage = Usage: <code>/elo</code> (your linked account) or <code>/elo nickname</code>
predictions-elo-none = No ELO history for <b>{$nickname}</b> yet: the bot records ELO whenever it sees the player (profile, analyses, tracking).
predictions-elo-title = ELO — {$nickname}
predictions-elo-subtitle = {$points} snapshots · {$matches} matches · {$from} → {$to}
predictions-elo-axis = ELO
predictions-elo-match = Seen around a match
predictions-elo-caption = 📈 <b>{$nickname}</b>: ELO {$first} → <b>{$last}</b> ({$delta}) over {$points} snapshots the bot recorded.
predictions-elo-change = {" "}· ELO <b>{$delta}</b>

bot-cmd-elo = ELO chart
bot-cmd-accuracy = How often the bot is right
