import { ARGOCD_APPLICATION_RULES } from './argocd-application-rules';
import { ARGOCD_PROJECT_RULES } from './argocd-project-rules';
import { ARGOCD_SETTINGS_RULES } from './argocd-settings-rules';
import { HARDENING_RULES } from './hardening-rules';
import { IMAGE_FROM_CATALOG, IMAGE_REGISTRY, IMAGE_TAG } from './image-rules';
import { EXPLICIT_NAMESPACE } from './metadata-rules';
import { POD_SECURITY_RULES } from './pod-security-rules';
import { SCHEMA_RULES } from './schema-rules';
import { SECRET_RULES } from './secret-rules';
import { PolicyRule } from './types';
import { PROBES, RESOURCES } from './workload-rules';
import { NO_MERGE_KEYS } from './yaml-rules';

/** Every rule, in report order. Ids are stable: add new ones, never renumber. */
export const RULES: readonly PolicyRule[] = [
  NO_MERGE_KEYS,
  ...SCHEMA_RULES,
  IMAGE_REGISTRY,
  IMAGE_TAG,
  IMAGE_FROM_CATALOG,
  ...SECRET_RULES,
  RESOURCES,
  PROBES,
  // Exactly "restricted" (PSS…), then what production asks beyond it (HARD…). PSS005 and PSS006, ours
  // rather than controls of the standard, are HARD003 and HARD004 now; their ids are never reused.
  ...POD_SECURITY_RULES,
  ...HARDENING_RULES,
  EXPLICIT_NAMESPACE,
  ...ARGOCD_APPLICATION_RULES,
  ...ARGOCD_PROJECT_RULES,
  ...ARGOCD_SETTINGS_RULES,
];
