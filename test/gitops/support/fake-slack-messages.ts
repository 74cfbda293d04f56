import { existsSync, readFileSync } from 'node:fs';
import { FakeSlackMessage } from './git-host/fake-slack';
import { gitopsEnv } from './gitops-env';
import { waitUntil } from './wait-until';

export type { FakeSlackMessage } from './git-host/fake-slack';

/** The token file of the Secret our generated argocd-notifications-cm reads (`via` of its messages). */
export const GENERATED_SETTINGS = 'argocd-notifications-secret';
/** The token file of the test-only copy's Secret. */
export const SETTINGS_COPY = 'argocd-notifications-secret-short-threshold';

/** Every message the fake Slack accepted so far, oldest first. */
export function slackMessages(): FakeSlackMessage[] {
  const file = gitopsEnv().slackMessagesFile;
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as FakeSlackMessage);
}

/** Messages about Application `app` (its name in the text) received at or after `since`. */
export function messagesAbout(app: string, since: Date, via = GENERATED_SETTINGS): FakeSlackMessage[] {
  const named = new RegExp(`\\b${app}\\b`);
  return slackMessages().filter(
    (message) => message.via === via && new Date(message.at) >= since && named.test(message.text),
  );
}

/** Waits for the first message about `app` since `since` whose text matches `pattern`. */
export function slackMessage(
  app: string,
  pattern: RegExp,
  since: Date,
  timeoutMs: number,
  via = GENERATED_SETTINGS,
  explain?: () => string,
): Promise<FakeSlackMessage> {
  return waitUntil(
    `a message about ${app} matching ${pattern} in the fake Slack (${via})`,
    () => messagesAbout(app, since, via).find((message) => pattern.test(message.text)),
    timeoutMs,
    () =>
      [
        `messages received: ${JSON.stringify(slackMessages().slice(-5), null, 1)}`,
        explain ? explain() : '',
      ].join('\n'),
  );
}
