# FACEIT busy: a FREE request is asked before its daily unit is taken (src/analysis/composer.ts, issue 24 item 3).
analysis-busy = 🚦 <b>FACEIT is busy right now.</b> Your analysis would wait about <b>{$minutes} min</b> in the queue ({$ahead} requests ahead, paid plans first).
    Your daily analysis is <b>not used yet</b>: wait in line, or send the link again later.
analysis-busy-wait-button = ⏳ Wait in line
analysis-busy-later-button = ✖️ Not now
analysis-busy-waiting = ⏳ In line: the analysis starts below.
analysis-busy-declined = OK, nothing was used. Send the link again when FACEIT is less busy.
analysis-busy-not-yours = Only the person who asked for this analysis can choose.
