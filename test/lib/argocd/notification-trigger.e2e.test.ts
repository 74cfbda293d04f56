import { Duration } from 'cdk8s';
import { parse } from 'yaml';
import { NOTIFICATIONS_CONFIGMAP, NotificationTrigger, SYNC_ATTEMPTS } from '../../../lib';
import { buildModel } from '../../../charts/app';
import { evaluateCondition } from '../../helpers/argocd';

// The conditions are evaluated by tools/exprcheck: ArgoCD's expression engine (expr-lang/expr, the
// version ArgoCD v3.5.1 ships) with the variables ArgoCD notifications provides.

const NOW = '2026-03-01T12:00:00Z';
const minutesAgo = (minutes: number): string =>
  new Date(Date.parse(NOW) - minutes * 60_000).toISOString().replace('.000Z', 'Z');

const app = (status: object, extra: object = {}): object => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'robson-backend-prod', namespace: 'argocd', creationTimestamp: minutesAgo(600) },
  spec: {},
  status,
  ...extra,
});

const outOfSync = (operationState: object | undefined, revision = 'b2'): object => ({
  sync: { status: 'OutOfSync', revision },
  health: { status: 'Healthy' },
  ...(operationState ? { operationState } : {}),
});
const finished = (minutes: number, revision = 'a1', phase = 'Succeeded'): object => ({
  phase,
  startedAt: minutesAgo(minutes + 1),
  finishedAt: minutesAgo(minutes),
  syncResult: { revision },
});

/** Application states each trigger must fire on, and states it must stay silent on. */
const SAMPLES: Record<string, { fires: [string, object][]; silent: [string, object][] }> = {
  'on-out-of-sync-10m': {
    fires: [
      ['new revision not deployed, last sync 11 min ago', app(outOfSync(finished(11)))],
      [
        'never synced, created 11 min ago',
        {
          ...(app(outOfSync(undefined)) as object),
          metadata: { name: 'x', creationTimestamp: minutesAgo(11) },
        },
      ],
      ['last sync failed 30 min ago on an older revision', app(outOfSync(finished(30, 'a1', 'Failed')))],
    ],
    silent: [
      ['last sync 9 min ago', app(outOfSync(finished(9)))],
      ['a sync is requested', app(outOfSync(finished(60)), { operation: { sync: { revision: 'b2' } } })],
      ['a sync is running', app(outOfSync({ phase: 'Running', startedAt: minutesAgo(2) }))],
      ['retrying between attempts', app(outOfSync({ ...finished(60), phase: 'Running' }))],
      ['drift of the deployed revision (self-heal reverts it)', app(outOfSync(finished(60, 'b2')))],
      ['synced', app({ sync: { status: 'Synced', revision: 'b2' }, operationState: finished(60, 'b2') })],
      ['no status yet', app({})],
    ],
  },
  'on-health-degraded': {
    fires: [['degraded', app({ health: { status: 'Degraded' }, sync: { status: 'Synced' } })]],
    silent: [
      ['healthy', app({ health: { status: 'Healthy' } })],
      ['progressing', app({ health: { status: 'Progressing' } })],
      ['no status yet', app({})],
    ],
  },
  'on-sync-failed': {
    fires: [
      [
        `failed after ${SYNC_ATTEMPTS} attempts`,
        app({ operationState: { phase: 'Failed', retryCount: SYNC_ATTEMPTS - 1 } }),
      ],
      [
        `errored after ${SYNC_ATTEMPTS} attempts`,
        app({ operationState: { phase: 'Error', retryCount: SYNC_ATTEMPTS - 1 } }),
      ],
    ],
    silent: [
      [
        'failed with attempts left',
        app({ operationState: { phase: 'Failed', retryCount: SYNC_ATTEMPTS - 2 } }),
      ],
      ['failed once, no retry recorded', app({ operationState: { phase: 'Failed' } })],
      [
        'waiting for the next attempt',
        app({ operationState: { phase: 'Running', retryCount: SYNC_ATTEMPTS - 1 } }),
      ],
      ['succeeded', app({ operationState: { phase: 'Succeeded', retryCount: 1 } })],
      ['never synced', app({})],
    ],
  },
  'on-comparison-error-10m': {
    fires: [
      [
        'cannot read Git for 11 min',
        app({
          sync: { status: 'Unknown' },
          conditions: [
            {
              type: 'ComparisonError',
              message: 'authentication required',
              lastTransitionTime: minutesAgo(11),
            },
          ],
        }),
      ],
    ],
    silent: [
      [
        'cannot read Git for 5 min',
        app({ conditions: [{ type: 'ComparisonError', message: 'x', lastTransitionTime: minutesAgo(5) }] }),
      ],
      [
        'an old warning of another type',
        app({
          conditions: [
            { type: 'OrphanedResourceWarning', message: 'x', lastTransitionTime: minutesAgo(600) },
          ],
        }),
      ],
      ['no conditions', app({ sync: { status: 'Synced' } })],
    ],
  },
};

/** The triggers ArgoCD reads: the `trigger.*` keys of the generated ConfigMap. */
function generatedTriggers(): { name: string; when: string }[] {
  const configMap = buildModel().argocd.find(
    (object) => object.kind === 'ConfigMap' && object.metadata?.name === NOTIFICATIONS_CONFIGMAP,
  );
  const data = (configMap?.data ?? {}) as Record<string, string>;
  return Object.entries(data)
    .filter(([key]) => key.startsWith('trigger.'))
    .flatMap(([key, text]) =>
      (parse(text) as { when: string }[]).map((condition) => ({
        name: key.slice('trigger.'.length),
        when: condition.when,
      })),
    );
}

const TRIGGERS = generatedTriggers();

describe('notification triggers of argocd-notifications-cm, run by ArgoCD’s expression engine', () => {
  test('every generated trigger has sample states, and every sampled trigger is generated', () => {
    // then
    expect(TRIGGERS.map((trigger) => trigger.name).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  describe.each(TRIGGERS)('$name', ({ name, when }) => {
    test.each(SAMPLES[name]?.fires ?? [])('fires: %s', (_label, state) => {
      // when
      const result = evaluateCondition(when, state, NOW);
      // then
      expect(result).toEqual({ value: true });
    });

    test.each(SAMPLES[name]?.silent ?? [])('stays silent, without error: %s', (_label, state) => {
      // when
      const result = evaluateCondition(when, state, NOW);
      // then
      expect(result).toEqual({ value: false });
    });
  });
});

describe('tools/exprcheck reports what ArgoCD would silently treat as false', () => {
  const degraded = app({ health: { status: 'Degraded' } });

  test('fails: a typo in a field name makes the condition stay false on a state it must fire on', () => {
    // given
    const typo = "app.status?.health?.staus == 'Degraded'";
    // when
    const result = evaluateCondition(typo, degraded, NOW);
    // then
    expect(result).toEqual({ value: false });
    expect(evaluateCondition(NotificationTrigger.healthDegraded().condition, degraded, NOW)).toEqual({
      value: true,
    });
  });

  test.each([
    ['a syntax error', "app.status.health.status == 'Degraded' &&", /does not compile/],
    ['a field of an absent object', "app.status.operationState.phase == 'Failed'", /fails at run time/],
    [
      'a timestamp time.Parse rejects',
      "time.Now().Sub(time.Parse('yesterday')).Minutes() > 1",
      /fails at run time/,
    ],
    ['a result that is not a boolean', 'app.status.health.status', /not a boolean/],
  ])('fails: %s is an error', (_label, expression, message) => {
    // when
    const result = evaluateCondition(expression, degraded, NOW);
    // then
    expect(result.error).toMatch(message);
  });
});

describe('NotificationTrigger', () => {
  test('fails: a duration that is not whole minutes', () => {
    // when / then
    expect(() => NotificationTrigger.outOfSyncFor(Duration.seconds(90))).toThrow(/whole number of minutes/);
  });

  test('fails: zero attempts', () => {
    // when / then
    expect(() => NotificationTrigger.syncFailedAfterAttempts(0)).toThrow(/attempts must be a whole number/);
  });
});
