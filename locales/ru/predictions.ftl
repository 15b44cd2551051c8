# Прогнозы: две вероятности модели, исходы, /accuracy, графики.
predictions-elo-alone = <i>   Только по ELO: {$p}%</i>
predictions-elo-alone-neutral = <i>   Только по ELO: {$p1}% — {$p2}%</i>

predictions-accuracy-title = 📏 <b>Как часто бот прав</b>
predictions-accuracy-scope-all = <b>Все проанализированные матчи</b>
predictions-accuracy-scope-mine = <b>Матчи, о которых спрашивали вы</b>
predictions-accuracy-none = Пока нет ни одного оценённого матча: результат записывается в течение нескольких часов после анализа.
predictions-accuracy-matches = Оценено матчей: <b>{$n}</b>
predictions-accuracy-favourite = Фаворит победил: наша модель <b>{$ours}</b> · ELO <b>{$elo}</b>
predictions-accuracy-brier = Brier (меньше — лучше): наша <b>{$ours}</b> · ELO <b>{$elo}</b> · монетка {$coin}
predictions-accuracy-logloss = Log-loss (меньше — лучше): наша <b>{$ours}</b> · ELO <b>{$elo}</b> · монетка {$coin}
predictions-accuracy-faceit = Собственная вероятность FACEIT, на {$n} матчах, где комната её показывала: фаворит победил <b>{$favourite}</b> · Brier <b>{$brier}</b> · log-loss <b>{$logloss}</b>
predictions-accuracy-small = <i>Всего {$n} матчей: такие малые различия — в основном удача. Цифры начинают что-то значить примерно с {$enough} матчей.</i>
predictions-accuracy-confident = Прогнозы от 60%, которые сбылись: наша <b>{$ours}</b> · ELO <b>{$elo}</b>
predictions-accuracy-baseline-elo = только ELO (перекалиброванный)
predictions-accuracy-baseline-faceit = собственная вероятность FACEIT
predictions-accuracy-diff = Наша − {$baseline}, {$n} матчей (95% интервал; ниже нуля — наша лучше): Brier {$brier} · log-loss {$logloss}
predictions-accuracy-verdict-too-few = <b>Слишком мало матчей, чтобы что-то значить</b> ({$n}; нужно около {$enough}): пока не отличить от варианта «{$baseline}».
predictions-accuracy-verdict-indistinguishable = <b>Пока не отличить от варианта «{$baseline}»</b>: интервал включает ноль.
predictions-accuracy-verdict-better = <b>Лучше, чем «{$baseline}»</b>, по Brier и log-loss: оба интервала ниже нуля.
predictions-accuracy-verdict-worse = <b>Хуже, чем «{$baseline}»</b>, по Brier и log-loss: оба интервала выше нуля.
predictions-accuracy-not-scored = <i>Не оценено завершённых матчей: {$n} — первый анализ был сделан уже после начала матча (или видел его результат). Считается только первый прогноз, сделанный до начала.</i>
predictions-accuracy-explain = <i>Brier — средняя квадратичная ошибка вероятности победы (у монетки 0,250); log-loss сильнее наказывает уверенные промахи (у монетки 0,693).</i>
predictions-reliability-title = Надёжность: прогноз и факт
predictions-reliability-subtitle = {$n} матчей · точка: как часто побеждал фаворит при таком прогнозе
predictions-reliability-predicted = Прогноз шанса фаворита
predictions-reliability-observed = Фаворит победил (доля)
predictions-reliability-ours = Модель бота
predictions-reliability-elo = Только ELO
predictions-reliability-perfect = Идеальная калибровка
predictions-reliability-caption = Диаграмма надёжности: чем ближе к пунктиру, тем честнее проценты.

predictions-elo-button = 📈 График ELO
predictions-elo-usage = Использование: <code>/elo</code> (ваш привязанный аккаунт) или <code>/elo ник</code>
predictions-elo-none = Для <b>{$nickname}</b> пока нет истории ELO: бот записывает ELO каждый раз, когда видит игрока (профиль, анализы, отслеживание).
predictions-elo-title = ELO — {$nickname}
predictions-elo-subtitle = {$points} снимков · {$matches} матчей · {$from} → {$to}
predictions-elo-axis = ELO
predictions-elo-match = Снимок у матча
predictions-elo-caption = 📈 <b>{$nickname}</b>: ELO {$first} → <b>{$last}</b> ({$delta}) по {$points} снимкам, записанным ботом.
predictions-elo-change = {" "}· ELO <b>{$delta}</b>

bot-cmd-elo = График ELO
bot-cmd-accuracy = Как часто бот прав
