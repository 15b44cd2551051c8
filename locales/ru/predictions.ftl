# Прогнозы: две вероятности модели, исходы, /accuracy, графики.
predictions-elo-alone = <i>   Только по ELO: {$p}%</i>
predictions-elo-alone-neutral = <i>   Только по ELO: {$p1}% — {$p2}%</i>
