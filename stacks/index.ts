/**
 * The Pulumi program (Pulumi.yaml `main: stacks/`). Configuration (the committed stack file) and the
 * admin's environment are read and validated first: a setting that would weaken the protection of main,
 * a per-admin key in the stack file, or a missing variable throws before any resource is declared.
 * `clusterOnly: true` in a stack's configuration declares the cluster objects only (settings.ts).
 */
import * as pulumi from '@pulumi/pulumi';
import { declareProduction } from './production';
import { PROJECT, stackSettings } from './settings';

if (pulumi.getProject() !== PROJECT) {
  throw new Error(
    `Pulumi.yaml names project "${pulumi.getProject()}"; the configuration keys are read under "${PROJECT}:"`,
  );
}
const outputs = declareProduction(stackSettings(pulumi.runtime.allConfig(), process.env, pulumi.getStack()));

export const repository = outputs.repository;
export const requiredChecks = outputs.requiredChecks;
export const releaseBypassAppId = outputs.releaseBypassAppId;
export const namespaces = outputs.namespaces;
export const breakGlassCommand = outputs.breakGlassCommand;
export const auditPolicy = outputs.auditPolicy;
