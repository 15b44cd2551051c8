import { createRequire } from 'node:module';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

/**
 * History JSON (what `temporal workflow show --output json` writes) ⇄ History, like @temporalio/common's
 * historyFromJSON/historyToJSON. Those fail here with "type must be a Type": npm gives @temporalio/common and
 * @temporalio/proto each their own copy of protobufjs 8 (grpc keeps protobufjs 7 at the top), and protojson only
 * accepts types of its own copy. So protojson is loaded from the copy @temporalio/proto is built with.
 */

export type History = proto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): History | null;
  toJson(type: unknown, message: unknown): unknown;
}
const protojson = createRequire(require.resolve('@temporalio/proto'))(
  'protobufjs/ext/protojson',
) as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType(
  'temporal.api.history.v1.History',
);

export function historyFromJSON(json: unknown): History {
  const events = (json as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) throw new TypeError('not a workflow history: expected {"events": [...]}');
  const history = protojson.fromJson(
    historyType,
    { events: events.map(withFullEnumNames) },
    { ignoreUnknownFields: true },
  );
  if (!history) throw new TypeError('not a workflow history');
  return history;
}

export function historyToJSON(history: History): string {
  return JSON.stringify(
    protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)),
    null,
    2,
  );
}

/** Some tools write enum values short ("WorkflowExecutionStarted"); protobuf JSON wants "EVENT_TYPE_WORKFLOW_...". */
function withFullEnumNames(event: Record<string, unknown>): Record<string, unknown> {
  const full = (value: unknown, prefix: string) =>
    typeof value === 'string' && !value.startsWith(prefix)
      ? `${prefix}_${value.replace(/(?<=.)([A-Z])/g, '_$1').toUpperCase()}`
      : value;
  const fixed: Record<string, unknown> = { ...event, eventType: full(event.eventType, 'EVENT_TYPE') };
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventAttributes') || typeof value !== 'object' || value === null) continue;
    const attributes = { ...(value as Record<string, unknown>) };
    const queue = attributes.taskQueue as Record<string, unknown> | undefined;
    if (queue) attributes.taskQueue = { ...queue, kind: full(queue.kind, 'TASK_QUEUE_KIND') };
    for (const [name, prefix] of ENUM_ATTRIBUTES)
      if (name in attributes) attributes[name] = full(attributes[name], prefix);
    fixed[key] = attributes;
  }
  return fixed;
}
const ENUM_ATTRIBUTES = [
  ['parentClosePolicy', 'PARENT_CLOSE_POLICY'],
  ['workflowIdReusePolicy', 'WORKFLOW_ID_REUSE_POLICY'],
  ['initiator', 'CONTINUE_AS_NEW_INITIATOR'],
  ['retryState', 'RETRY_STATE'],
] as const;
