import { KubeObject } from '../../lib';

export const ALLOWED_REGISTRY = 'ghcr.io/acme/';
export const GOOD_IMAGE = 'ghcr.io/acme/app:sha-0a1b2c3';

/** A Deployment that passes every rule; tests break one property at a time. */
export function compliantDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'production' },
    spec: {
      template: {
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'app',
              image: GOOD_IMAGE,
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
              readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
              livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
        },
      },
    },
  };
}
