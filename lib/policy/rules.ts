import { ARGOCD_APPLICATION_RULES } from './argocd-application-rules';
import { ARGOCD_PROJECT_RULES } from './argocd-project-rules';
import { ARGOCD_SETTINGS_RULES } from './argocd-settings-rules';
import { IMAGE_FROM_CATALOG, IMAGE_REGISTRY, IMAGE_TAG } from './image-rules';
import { EXPLICIT_NAMESPACE } from './metadata-rules';
import { POD_SECURITY_RULES } from './pod-security-rules';
import { SCHEMA_RULES } from './schema-rules';
import { NO_CREDENTIAL_IN_CONFIGMAP, NO_CREDENTIAL_IN_ENV, NO_SECRET_DATA } from './secret-rules';
import { PolicyRule } from './types';
import { NO_TOKEN_AUTOMOUNT, PROBES, READ_ONLY_ROOT, RESOURCES } from './workload-rules';
import { NO_MERGE_KEYS } from './yaml-rules';

/** Every rule, in report order. Ids are stable: add new ones, never renumber. */
export const RULES: readonly PolicyRule[] = [
  NO_MERGE_KEYS,
  ...SCHEMA_RULES,
  IMAGE_REGISTRY,
  IMAGE_TAG,
  IMAGE_FROM_CATALOG,
  NO_SECRET_DATA,
  NO_CREDENTIAL_IN_ENV,
  NO_CREDENTIAL_IN_CONFIGMAP,
  RESOURCES,
  PROBES,
  ...POD_SECURITY_RULES.filter((rule) => rule.id < 'PSS005'),
  READ_ONLY_ROOT,
  NO_TOKEN_AUTOMOUNT,
  ...POD_SECURITY_RULES.filter((rule) => rule.id > 'PSS006'),
  EXPLICIT_NAMESPACE,
  ...ARGOCD_APPLICATION_RULES,
  ...ARGOCD_PROJECT_RULES,
  ...ARGOCD_SETTINGS_RULES,
];
