import { Duration } from 'cdk8s';
import { NotificationTrigger, SYNC_ATTEMPTS, slackSubscriptionOf } from '../lib';

/** What pages `#infra-alerts` about every Application (the policy's three alerts, plus Git unreadable). */
export const alertTriggers: readonly NotificationTrigger[] = [
  NotificationTrigger.outOfSyncFor(Duration.minutes(10)),
  NotificationTrigger.healthDegraded(),
  NotificationTrigger.syncFailedAfterAttempts(SYNC_ATTEMPTS),
  NotificationTrigger.comparisonErrorFor(Duration.minutes(10)),
];

/** The annotations (after `notifications.argoproj.io/subscribe.`) every Application must carry. */
export const alertSubscriptions: readonly string[] = alertTriggers.map(slackSubscriptionOf);
