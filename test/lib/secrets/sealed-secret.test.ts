import { Chart, Testing } from 'cdk8s';
import { SealedSecret } from '../../../lib/secrets/sealed-secret';
import { isSealedSecret } from '../../../lib/secrets/sealed-secrets-api';

describe('SealedSecret: strict scope, the Secret of its own name and namespace', () => {
  test('carries the sealed values, sorted, and a template naming the Secret, its labels and type Opaque, no namespace', () => {
    // given
    const chart = new Chart(Testing.app(), 'test');
    // when
    const sealed = new SealedSecret(chart, 'Database', {
      name: 'backend-database',
      namespace: 'production',
      labels: { 'app.kubernetes.io/name': 'backend' },
      encryptedData: { user: 'AgB=', password: 'AgA=' },
    });
    // then
    const object = sealed.apiObject.toJson();
    expect(object).toEqual({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: {
        name: 'backend-database',
        namespace: 'production',
        labels: { 'app.kubernetes.io/name': 'backend' },
      },
      spec: {
        encryptedData: { password: 'AgA=', user: 'AgB=' },
        template: {
          metadata: { name: 'backend-database', labels: { 'app.kubernetes.io/name': 'backend' } },
          type: 'Opaque',
        },
      },
    });
    expect(Object.keys(object.spec.encryptedData)).toEqual(['password', 'user']);
    expect(isSealedSecret(object)).toBe(true);
    // no scope annotation: strict is the controller's default
    expect(object.metadata.annotations).toBeUndefined();
  });

  test('isSealedSecret: the kind of bitnami.com only', () => {
    expect(isSealedSecret({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret' })).toBe(true);
    expect(isSealedSecret({ apiVersion: 'example.com/v1', kind: 'SealedSecret' })).toBe(false);
    expect(isSealedSecret({ apiVersion: 'v1', kind: 'Secret' })).toBe(false);
  });
});
