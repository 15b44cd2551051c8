# Infrastructure errors (src/temporal/deadline.ts), shown instead of "FACEIT is not answering" when FACEIT is not to blame.
reliability-temporal-unavailable = ⚠️ The request service is unavailable right now. Nothing was charged — please try again in a minute.
reliability-analysis-start-unconfirmed = ⏳ The service is answering slowly; your request is saved. The report will arrive in this message, or, if the analysis cannot start, the unit comes back and this message says so.
reliability-report-undelivered = ⚠️ The analysis is done, but the report could not be delivered. The request was not counted against your daily limit — ask again: a repeat of this match arrives at once.
reliability-stats-budget = ⏳ You have used your FACEIT lookups for now. Please try again in { $minutes } min.
# The bot's first progress message was sent again after Telegram lost its answer (src/analysis/first-reply.ts).
reliability-progress-resent = ↑ If a progress message above has stopped, Telegram lost its answer: this one is live.
reliability-progress-unconfirmed = ⚠️ Telegram did not confirm my messages, so the analysis was not started and it was not counted against your daily limit. Any progress bar above will not move — please send the link again.
reliability-progress-copy-void = This was a copy of a progress message whose delivery Telegram did not confirm; it is not updated. Your request's outcome is in the messages below.
reliability-progress-copy-void-answer = This copy is not updated: see the message below. Nothing was cancelled.
