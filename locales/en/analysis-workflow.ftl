# Lobby analysis outcomes delivered by the workflow (src/analysis/activities.ts). Telegram HTML.

analysis-rejected-not-found = Match not found on FACEIT — check the room link or the match id.
analysis-cancelled = ✖️ Analysis cancelled. The request was not counted against your daily limit.
analysis-failed = ⚠️ The analysis could not be completed: FACEIT is not answering right now. The request was not counted against your daily limit — please try again in a few minutes.
