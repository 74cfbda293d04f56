import { App } from 'cdk8s';

/** Runs every construct's validations, as `cdk8s synth` does, and throws one error listing them all. */
export function validateApp(app: App): void {
  const errors = app.node
    .findAll()
    .flatMap((construct) => construct.node.validate().map((error) => prefixed(construct.node.path, error)));
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
}

const prefixed = (path: string, error: string): string => (path ? `[${path}] ${error}` : error);
