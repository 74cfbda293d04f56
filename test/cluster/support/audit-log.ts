import { existsSync, readFileSync } from 'node:fs';
import { eventually } from './cluster-fixture';

/** The fields of an `audit.k8s.io/v1` Event the suite reads. */
export interface AuditEvent {
  readonly auditID: string;
  readonly level: 'None' | 'Metadata' | 'Request' | 'RequestResponse';
  readonly stage: string;
  /** RFC 3339 with microseconds. */
  readonly requestReceivedTimestamp: string;
  readonly verb: string;
  readonly requestURI: string;
  readonly user: { readonly username: string; readonly groups?: readonly string[] };
  readonly impersonatedUser?: { readonly username: string; readonly groups?: readonly string[] };
  readonly objectRef?: { readonly resource?: string; readonly namespace?: string; readonly name?: string };
  readonly responseStatus?: { readonly code?: number };
  readonly requestObject?: Record<string, unknown>;
  readonly responseObject?: Record<string, unknown>;
}

/** Every event of a JSON-lines audit log written by kube-apiserver's log backend. */
export function readAuditEvents(file: string): AuditEvent[] {
  if (!existsSync(file)) {
    throw new Error(
      `${file} does not exist: kube-apiserver was started without an audit policy (see test/cluster/run.sh)`,
    );
  }
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditEvent);
}

/** The first `ResponseComplete` event that `match` accepts, waiting up to 15 s for the log to be written. */
export function waitForAuditEvent(
  file: string,
  what: string,
  match: (event: AuditEvent) => boolean,
): Promise<AuditEvent> {
  return eventually(`audit event: ${what}`, 15, async () =>
    readAuditEvents(file).find((event) => event.stage === 'ResponseComplete' && match(event)),
  );
}
