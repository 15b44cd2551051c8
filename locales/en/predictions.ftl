# Predictions: the model's two probabilities, outcomes, /accuracy, charts.
predictions-elo-alone = <i>   ELO alone: {$p}%</i>
predictions-elo-alone-neutral = <i>   ELO alone: {$p1}% — {$p2}%</i>
