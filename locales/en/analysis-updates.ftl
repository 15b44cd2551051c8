# Join and cancel answered by the lobby-analysis workflow itself (src/analysis/composer.ts).
analysis-queued-line = 🕓 Queued: your request is saved, and the analysis starts as soon as a worker is free. The report will arrive in this message.
analysis-cancel-unknown = This request is not part of a running analysis.
analysis-cancel-unconfirmed = The service did not confirm the cancellation in time. Press Cancel again in a moment.
