import * as pulumi from '@pulumi/pulumi';

/** A resource the program registered with the mocked engine. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  readonly protect: boolean;
  readonly parent: string;
  readonly dependencies: readonly string[];
  /** `<provider urn>::<id>` of an explicit provider, `''` for the default one. */
  readonly provider: string;
  /** Providers a component hands to its children, by package. */
  readonly providers: Readonly<Record<string, string>>;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getProtect(): boolean | undefined;
  getParent(): string;
  getDependenciesList(): string[];
  getProvider(): string;
  getProvidersMap(): { toObject(): [string, string][] };
}

/**
 * Replaces the Pulumi engine with mocks (GitHub and Kubernetes cannot be reached here), sets the
 * configuration, and records every resource the program registers, with its options.
 */
export function mockEngine(config: Record<string, string>, project: string): RecordedResource[] {
  const recorded: RecordedResource[] = [];
  const pending = new Map<string, Omit<RecordedResource, 'inputs' | 'urn'>>();
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const options = pending.get(`${args.type}::${args.name}`);
        const urn = `urn:pulumi:prod::${project}::${args.type}::${args.name}`;
        if (options) recorded.push({ ...options, urn, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    project,
    'prod',
    false,
  );
  pulumi.runtime.setAllConfig(config);
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(request: RegisterRequest, callback: unknown): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    pending.set(`${request.getType()}::${request.getName()}`, {
      type: request.getType(),
      name: request.getName(),
      custom: request.getCustom(),
      protect: request.getProtect() ?? false,
      parent: request.getParent(),
      dependencies: request.getDependenciesList(),
      provider: request.getProvider(),
      providers: Object.fromEntries(request.getProvidersMap().toObject()),
    });
    return register(request, callback);
  };
  return recorded;
}

/** The value of an output. */
export function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Waits until the program's registrations have all reached the mocked engine (an SDK function marked internal). */
export async function registrationsDone(): Promise<void> {
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  if (!waitForRPCs)
    throw new Error(
      '@pulumi/pulumi no longer exports runtime.waitForRPCs; update test/stacks/pulumi-mocks.ts',
    );
  await waitForRPCs();
}
