import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND, SealedSecretType } from './sealed-secrets-api';

export interface SealedSecretProps {
  /** Name of the SealedSecret and of the Secret the controller makes of it: the name the values were sealed for. */
  readonly name: string;
  /** Its namespace: the namespace the values were sealed for. */
  readonly namespace: string;
  /**
   * Labels of the SealedSecret and of its Secret.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** Key → value sealed with strict scope for this namespace and name (`npm run seal`). */
  readonly encryptedData: Readonly<Record<string, string>>;
  /**
   * Keys of the Secret that are not secret, written as given into `spec.template.data` (never a template:
   * rule SEC001 allows only a repository's `url` and `type`, on ArgoCD repository credentials).
   * @default - none
   */
  readonly plainData?: Readonly<Record<string, string>>;
  /**
   * The type of the Secret.
   * @default 'Opaque'
   */
  readonly type?: SealedSecretType;
}

/**
 * A SealedSecret of strict scope: the controller turns it into the Secret of the same name, namespace and
 * labels, of the type given (Opaque by default), holding the decrypted values. The template names the Secret but no namespace:
 * the controller takes both from the SealedSecret itself (and decrypts with their label), and kustomize's
 * `namespace:` sets the SealedSecret's namespace but would leave a copy in the template unchanged.
 */
export class SealedSecret extends Construct {
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: SealedSecretProps) {
    super(scope, id);
    const labels = props.labels ? { ...props.labels } : undefined;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: SEALED_SECRET_API_VERSION,
      kind: SEALED_SECRET_KIND,
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        encryptedData: Object.fromEntries(
          Object.keys(props.encryptedData)
            .sort()
            .map((key) => [key, props.encryptedData[key]]),
        ),
        template: {
          metadata: { name: props.name, labels },
          type: props.type ?? 'Opaque',
          ...(props.plainData ? { data: { ...props.plainData } } : {}),
        },
      },
    });
  }
}
