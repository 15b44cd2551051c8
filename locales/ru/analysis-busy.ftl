# FACEIT перегружен: FREE-запрос спрашивают до списания дневного лимита (src/analysis/composer.ts, issue 24 п. 3).
analysis-busy = 🚦 <b>FACEIT сейчас перегружен.</b> Анализ подождёт в очереди примерно <b>{$minutes} мин</b> (впереди {$ahead} запросов, платные тарифы первыми).
    Дневной анализ <b>пока не списан</b>: подождите в очереди или пришлите ссылку позже.
analysis-busy-wait-button = ⏳ Подождать в очереди
analysis-busy-later-button = ✖️ Не сейчас
analysis-busy-waiting = ⏳ В очереди: анализ начнётся ниже.
analysis-busy-declined = Хорошо, ничего не списано. Пришлите ссылку, когда FACEIT будет свободнее.
analysis-busy-not-yours = Выбрать может только тот, кто запросил анализ.
