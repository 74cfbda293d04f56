import { Chart, Duration, Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  ArgoCdNotifications,
  ArgoCdProject,
  NotificationTrigger,
  ProductionApplication,
  slackSubscriptionOf,
} from '../../../lib';

const URL = 'https://argocd.example.com';

const triggers = [
  NotificationTrigger.healthDegraded(),
  NotificationTrigger.outOfSyncFor(Duration.minutes(10)),
];

describe('ArgoCdNotifications', () => {
  test('renders a Slack service referencing the Secret, and a trigger and template per trigger', () => {
    // given
    const chart = new Chart(Testing.app(), 'Test');
    // when
    new ArgoCdNotifications(chart, 'Notifications', {
      triggers,
      slack: { channel: 'alerts' },
      argocdUrl: URL,
    });
    // then
    const [configMap] = Testing.synth(chart);
    expect(configMap.metadata).toEqual({ name: 'argocd-notifications-cm', namespace: 'argocd' });
    expect(Object.keys(configMap.data).sort()).toEqual([
      'context',
      'service.slack',
      'template.on-health-degraded',
      'template.on-out-of-sync-10m',
      'trigger.on-health-degraded',
      'trigger.on-out-of-sync-10m',
    ]);
    expect(parse(configMap.data['service.slack'])).toEqual({ token: '$slack-token' });
    // The only place ArgoCD's notifications read the link's address from (not argocd-cm).
    expect(parse(configMap.data.context)).toEqual({ argocdUrl: URL });
    expect(parse(configMap.data['trigger.on-health-degraded'])).toEqual([
      {
        description: 'Health is Degraded',
        when: "app.status?.health?.status == 'Degraded'",
        send: ['on-health-degraded'],
      },
    ]);
  });

  test('subscribes an Application to every trigger with annotations', () => {
    // given
    const chart = new Chart(Testing.app(), 'Test');
    const project = new ArgoCdProject(chart, 'P', {
      name: 'p',
      description: 'x',
      repoURL: 'r',
      namespaces: ['n'],
    });
    const app = new ProductionApplication(chart, 'A', {
      name: 'a',
      project,
      repoURL: 'r',
      path: 'p',
      destinationNamespace: 'n',
    });
    const notifications = new ArgoCdNotifications(chart, 'Notifications', {
      triggers,
      slack: { channel: 'alerts' },
      argocdUrl: URL,
    });
    // when
    notifications.subscribe(app);
    // then
    expect(app.apiObject.toJson().metadata.annotations).toEqual({
      'notifications.argoproj.io/subscribe.on-health-degraded.slack': 'alerts',
      'notifications.argoproj.io/subscribe.on-out-of-sync-10m.slack': 'alerts',
    });
    expect(triggers.map(slackSubscriptionOf)).toEqual([
      'on-health-degraded.slack',
      'on-out-of-sync-10m.slack',
    ]);
  });

  test.each([
    ['a channel written with #', { triggers, slack: { channel: '#alerts' }, argocdUrl: URL }, /without "#"/],
    [
      'a token key that is no Secret key',
      { triggers, slack: { channel: 'alerts', tokenKey: 'slack token' }, argocdUrl: URL },
      /not a valid Secret key/,
    ],
    [
      'a trigger given twice',
      {
        triggers: [...triggers, NotificationTrigger.healthDegraded()],
        slack: { channel: 'alerts' },
        argocdUrl: URL,
      },
      /given twice/,
    ],
    [
      'an http ArgoCD address',
      { triggers, slack: { channel: 'alerts' }, argocdUrl: 'http://argocd.example' },
      /must be ArgoCD's https address/,
    ],
    [
      'an address with a trailing /',
      { triggers, slack: { channel: 'alerts' }, argocdUrl: `${URL}/` },
      /without a path or a trailing/,
    ],
  ])('fails: %s', (_label, props, message) => {
    // when / then
    expect(() => new ArgoCdNotifications(new Chart(Testing.app(), 'Test'), 'N', props)).toThrow(message);
  });
});
