/**
 * Golden history files and History messages, both ways.
 *
 * The SDK's `historyToJSON`/`historyFromJSON` (@temporalio/common/lib/proto-utils) fail in this
 * install with "type must be a Type": @temporalio/common and @temporalio/proto each carry their
 * own copy of protobufjs 8, and the proto3-JSON helper of one does not recognise the types of the
 * other. So the files hold the message as protobufjs' plain-object form (`toObject` with 64-bit
 * numbers, enums and bytes as strings), which `fromObject` of the very copy the worker encodes
 * with reads back exactly. Timestamps are `{ seconds, nanos }` objects, not RFC 3339 strings.
 * TODO(replay): switch to the SDK helpers once the lockfile dedupes protobufjs 8 under
 * @temporalio/*; the files can then be re-recorded in the standard proto3-JSON format.
 */
import { temporal } from '@temporalio/proto';

const { History } = temporal.api.history.v1;
export type HistoryMessage = temporal.api.history.v1.History;

export function historyToFileJson(history: temporal.api.history.v1.IHistory): string {
  const object = History.toObject(History.fromObject(history), {
    longs: String,
    enums: String,
    bytes: String,
    json: true,
  });
  return JSON.stringify(object, null, 2) + '\n';
}

export class HistoryFileError extends Error {
  constructor(file: string, problem: string) {
    super(
      `${file} is not a golden history (${problem}); re-record it with npm run histories:record.`,
    );
    this.name = 'HistoryFileError';
  }
}

export function historyFromFileJson(text: string, file: string): HistoryMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HistoryFileError(file, error instanceof Error ? error.message : String(error));
  }
  const events = (parsed as { events?: unknown }).events;
  if (!Array.isArray(events) || events.length === 0) {
    throw new HistoryFileError(file, 'no "events" array');
  }
  return History.fromObject(parsed as Record<string, unknown>);
}

/** The workflow ID a history was recorded under, from its first event. */
export function workflowIdOf(history: HistoryMessage): string | undefined {
  const started = history.events[0]?.workflowExecutionStartedEventAttributes;
  return started?.workflowId || undefined;
}
