import { ARGOCD_APPLICATION_RULES } from './argocd-application-rules';
import { ARGOCD_PROJECT_RULES } from './argocd-project-rules';
import { ARGOCD_SETTINGS_RULES } from './argocd-settings-rules';
import { IMAGE_FROM_CATALOG, IMAGE_REGISTRY, IMAGE_TAG } from './image-rules';
import { EXPLICIT_NAMESPACE } from './metadata-rules';
import { NO_SECRET_DATA } from './secret-rules';
import { PolicyRule } from './types';
import {
  DROP_CAPABILITIES,
  NO_HOST_ACCESS,
  NO_PRIVILEGE,
  NO_TOKEN_AUTOMOUNT,
  PROBES,
  READ_ONLY_ROOT,
  RESOURCES,
  RUN_AS_NON_ROOT,
  SECCOMP,
} from './workload-rules';

/** Every rule, in report order. Ids are stable: add new ones, never renumber. */
export const RULES: readonly PolicyRule[] = [
  IMAGE_REGISTRY,
  IMAGE_TAG,
  IMAGE_FROM_CATALOG,
  NO_SECRET_DATA,
  RESOURCES,
  PROBES,
  RUN_AS_NON_ROOT,
  NO_PRIVILEGE,
  DROP_CAPABILITIES,
  SECCOMP,
  READ_ONLY_ROOT,
  NO_TOKEN_AUTOMOUNT,
  NO_HOST_ACCESS,
  EXPLICIT_NAMESPACE,
  ...ARGOCD_APPLICATION_RULES,
  ...ARGOCD_PROJECT_RULES,
  ...ARGOCD_SETTINGS_RULES,
];
