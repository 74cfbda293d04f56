/**
 * The Pulumi program (Pulumi.yaml `main: stacks/`). Configuration is read and validated first: a setting
 * that would weaken the protection of main throws before any resource is declared.
 */
import * as pulumi from '@pulumi/pulumi';
import { declareProduction } from './production';
import { PROJECT, stackSettings } from './settings';

if (pulumi.getProject() !== PROJECT) {
  throw new Error(
    `Pulumi.yaml names project "${pulumi.getProject()}"; the configuration keys are read under "${PROJECT}:"`,
  );
}
const outputs = declareProduction(stackSettings(pulumi.runtime.allConfig()));

export const repository = outputs.repository;
export const requiredChecks = outputs.requiredChecks;
export const releaseBypassAppId = outputs.releaseBypassAppId;
export const namespaces = outputs.namespaces;
export const breakGlassCommand = outputs.breakGlassCommand;
export const auditPolicy = outputs.auditPolicy;
