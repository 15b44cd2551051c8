# Итоги анализа лобби, которые доставляет workflow (src/analysis/activities.ts). Telegram HTML.

analysis-rejected-not-found = Матч не найден на FACEIT — проверьте ссылку на комнату или id матча.
analysis-cancelled = ✖️ Анализ отменён. Запрос не засчитан в дневной лимит.
analysis-failed = ⚠️ Не удалось завершить анализ: FACEIT сейчас не отвечает. Запрос не засчитан в дневной лимит — попробуйте через несколько минут.
