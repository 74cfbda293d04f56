import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import {
  DEFAULT_ARGOCD_NAMESPACE,
  NOTIFICATIONS_CONFIGMAP,
  SUBSCRIBE_ANNOTATION_PREFIX,
} from '../argocd-api/argocd-conventions';
import { NotificationTrigger } from './notification-trigger';
import { IArgoCdApplication } from './production-application';

/** The one notification service this construct configures. */
const SLACK = 'slack';

/** `<trigger>.slack`: what follows the subscribe prefix in an Application's annotation. */
export function slackSubscriptionOf(trigger: NotificationTrigger): string {
  return `${trigger.name}.${SLACK}`;
}

export interface SlackNotifications {
  /** Channel the messages go to, without `#`, e.g. `infra-alerts`. */
  readonly channel: string;
  /**
   * Key of `argocd-notifications-secret` holding the Slack bot token. The ConfigMap only references
   * it (`$<key>`); the Secret is created outside Git.
   * @default 'slack-token'
   */
  readonly tokenKey?: string;
}

export interface ArgoCdNotificationsProps {
  /** When to send a message. */
  readonly triggers: readonly NotificationTrigger[];
  /**
   * ArgoCD's own https address, e.g. `https://argocd.example.com`: the link of every message
   * (`{{.context.argocdUrl}}`). ArgoCD's notifications controller takes it only from this ConfigMap's
   * `context`, not from `argocd-cm`; without it a link renders as `<no value>/applications/…`.
   */
  readonly argocdUrl: string;
  /** Where to send it. */
  readonly slack: SlackNotifications;
  /**
   * Namespace ArgoCD is installed in.
   * @default 'argocd'
   */
  readonly argocdNamespace?: string;
}

const block = (value: unknown): string => stringify(value, { lineWidth: 0 });

/**
 * `argocd-notifications-cm`: a Slack service whose token is read from `argocd-notifications-secret`,
 * and one trigger and template per `NotificationTrigger`. Applications receive the messages once
 * subscribed with `subscribe()` (annotations on the Application).
 * @see https://argo-cd.readthedocs.io/en/release-3.5/operator-manual/notifications/services/slack/
 */
export class ArgoCdNotifications extends Construct {
  public readonly apiObject: ApiObject;
  private readonly props: ArgoCdNotificationsProps;

  constructor(scope: Construct, id: string, props: ArgoCdNotificationsProps) {
    super(scope, id);
    const channel = props.slack.channel;
    if (!/^[a-z0-9][-_a-z0-9]*$/.test(channel)) {
      throw new Error(
        `${this.node.path}: slack.channel "${channel}" must be a channel name without "#", e.g. "infra-alerts"`,
      );
    }
    const tokenKey = props.slack.tokenKey ?? 'slack-token';
    if (!/^[-._a-zA-Z0-9]+$/.test(tokenKey)) {
      throw new Error(`${this.node.path}: slack.tokenKey "${tokenKey}" is not a valid Secret key`);
    }
    const names = props.triggers.map((trigger) => trigger.name);
    const twice = names.find((name, index) => names.indexOf(name) !== index);
    if (twice) throw new Error(`${this.node.path}: trigger "${twice}" is given twice`);
    if (!/^https:\/\/[^/\s]+$/.test(props.argocdUrl)) {
      throw new Error(
        `${this.node.path}: argocdUrl "${props.argocdUrl}" must be ArgoCD's https address without a path or a trailing "/", e.g. "https://argocd.example.com"`,
      );
    }
    this.props = props;

    const data: Record<string, string> = {
      context: block({ argocdUrl: props.argocdUrl }),
      [`service.${SLACK}`]: block({ token: `$${tokenKey}` }),
    };
    for (const trigger of props.triggers) {
      data[`trigger.${trigger.name}`] = block([
        { description: trigger.description, when: trigger.condition, send: [trigger.name] },
      ]);
      data[`template.${trigger.name}`] = block({ message: trigger.message });
    }
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: NOTIFICATIONS_CONFIGMAP,
        namespace: props.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE,
      },
      data,
    });
  }

  /** Subscribes `application` to every trigger, sending to the Slack channel. */
  public subscribe(application: IArgoCdApplication): void {
    for (const trigger of this.props.triggers) {
      application.addAnnotation(
        `${SUBSCRIBE_ANNOTATION_PREFIX}${slackSubscriptionOf(trigger)}`,
        this.props.slack.channel,
      );
    }
  }
}
