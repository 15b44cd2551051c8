/**
 * What a workflow costs on Temporal Cloud, counted from the server itself: the billable actions in its history
 * (start, signals, updates, activities with their retries, timers, markers, children, search-attribute upserts,
 * continue-as-new) and its stored size, plus the actions that leave no event (activity heartbeats and queries),
 * read from the server's own request counters. Used by `bench:analysis` and `npm run rehearse`.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const E = temporal.api.enums.v1.EventType;
const BILLABLE = new Set<number>([
  E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
  E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
  E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  E.EVENT_TYPE_TIMER_STARTED,
  E.EVENT_TYPE_MARKER_RECORDED,
  E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
  E.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  E.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
  E.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);

export interface HistoryCost {
  /** Workflow executions counted. */
  count: number;
  events: number;
  /** Billable actions recorded in the histories (an activity's retries are further actions). */
  actions: number;
  /** The histories' encoded size, as the server stores and bills it. */
  bytes: number;
}

/** The histories of the given executions, or of every execution the visibility query lists. */
export async function historyCost(
  client: Client,
  of: { query: string } | Array<{ workflowId: string; runId?: string }>,
): Promise<HistoryCost> {
  const cost: HistoryCost = { count: 0, events: 0, actions: 0, bytes: 0 };
  const add = async (workflowId: string, runId?: string) => {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    cost.count++;
    cost.bytes += temporal.api.history.v1.History.encode(history).finish().length;
    for (const e of history.events ?? []) {
      cost.events++;
      if (BILLABLE.has(e.eventType ?? 0)) cost.actions++;
      const attempt = e.activityTaskStartedEventAttributes?.attempt ?? 1;
      if (attempt > 1) cost.actions += 1;
    }
  };
  if (Array.isArray(of)) for (const e of of) await add(e.workflowId, e.runId);
  else for await (const wf of client.workflow.list({ query: of.query })) await add(wf.workflowId, wf.runId);
  return cost;
}

export interface ServerRequestCounts {
  heartbeats: number;
  queries: number;
}

/** The Temporal server's own request counters (heartbeats, queries) since `start()`, summed across its restarts. */
export class ServerRequestCounter {
  private last: ServerRequestCounts | undefined;
  private readonly total: ServerRequestCounts = { heartbeats: 0, queries: 0 };
  private timer?: NodeJS.Timeout;
  constructor(private readonly url: string) {}

  /** Takes the baseline, then scrapes every `everyMs` so a server restart loses at most one interval. */
  async start(everyMs = 5_000): Promise<void> {
    this.last = await this.read();
    this.timer = setInterval(() => void this.scrape(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<ServerRequestCounts> {
    clearInterval(this.timer);
    await this.scrape();
    return { ...this.total };
  }

  private async scrape(): Promise<void> {
    const now = await this.read();
    if (!now) return;
    for (const k of ['heartbeats', 'queries'] as const) {
      const last = this.last?.[k] ?? 0;
      // A restarted server counts from 0 again.
      this.total[k] += now[k] >= last ? now[k] - last : now[k];
    }
    this.last = now;
  }

  private async read(): Promise<ServerRequestCounts | undefined> {
    const text = await fetch(this.url, { signal: AbortSignal.timeout(3_000) })
      .then((r) => r.text())
      .catch(() => undefined);
    if (!text) return undefined;
    const sum = (operation: string) =>
      text
        .split('\n')
        .filter(
          (l) =>
            l.startsWith('service_requests{') &&
            l.includes(`operation="${operation}"`) &&
            l.includes('service_name="frontend"'),
        )
        .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    return {
      heartbeats: sum('RecordActivityTaskHeartbeat') + sum('RecordActivityTaskHeartbeatById'),
      queries: sum('QueryWorkflow'),
    };
  }
}
