/**
 * FAKE GitHub provider: a recording stand-in for the plugin `pulumi-resource-github`, which cannot be
 * built here (the Go module proxy refuses pulumi-github and terraform-provider-github). The Pulumi CLI
 * starts it like any resource plugin (bin/pulumi-resource-github, first on PATH) and it speaks the real
 * provider protocol through the SDK's provider server (@pulumi/pulumi/provider). It talks to no GitHub:
 * it appends every call the engine makes, with the inputs the engine sends, as one JSON line to the file
 * named by FAKE_GITHUB_RECORDING, and answers like a provider whose every write succeeds. What it records
 * is what the engine would send to the real provider, Pulumi-level inputs (not GitHub's REST payloads).
 *
 * FAKE_GITHUB_EXISTING (JSON, `{ "<type token>": { "<id>": { …properties } } }`) lists what already
 * "exists on GitHub", for `pulumi import` (Read); anything else reads as absent.
 */
import { appendFileSync } from 'node:fs';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import * as provider from '@pulumi/pulumi/provider';
import { ReadRequest } from '@pulumi/pulumi/proto/provider_pb';
import { version } from '@pulumi/github/package.json';

export const RECORDING_VARIABLE = 'FAKE_GITHUB_RECORDING';
export const EXISTING_VARIABLE = 'FAKE_GITHUB_EXISTING';

type Properties = Record<string, unknown>;

/** One call of the engine, as recorded. */
export interface RecordedCall {
  readonly method: 'check' | 'diff' | 'create' | 'read' | 'update' | 'delete';
  /** The resource's type token, e.g. `github:index/repositoryRuleset:RepositoryRuleset`. */
  readonly type: string;
  /** The resource's name in the program, e.g. `production-infra-review`. */
  readonly name: string;
  readonly id?: string;
  /** check: the new inputs; create: the checked inputs; update: the new inputs; read/delete: state. */
  readonly inputs: Properties;
}

/** `urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>` → type and name. */
export function urnParts(urn: string): { type: string; name: string } {
  const [, , types = '', name = ''] = urn.split('::');
  return { type: types.split('$').at(-1) ?? '', name };
}

function record(method: RecordedCall['method'], urn: string, inputs: Properties, id?: string): void {
  const file = process.env[RECORDING_VARIABLE];
  if (!file)
    throw new Error(`${RECORDING_VARIABLE} is not set: the fake GitHub provider has nowhere to record`);
  const call: RecordedCall = { method, ...urnParts(urn), ...(id === undefined ? {} : { id }), inputs };
  appendFileSync(file, `${JSON.stringify(call)}\n`);
}

let created = 0;

/** The id and the outputs a real provider would compute for a newly created resource. */
function createdState(type: string, inputs: Properties): { id: string; outs: Properties } {
  created += 1;
  const name = String(inputs.name ?? inputs.repository ?? 'resource');
  if (type === 'github:index/repository:Repository') {
    return { id: name, outs: { ...inputs, fullName: `fake-github/${name}`, nodeId: `fake-node-${created}` } };
  }
  if (type === 'github:index/repositoryRuleset:RepositoryRuleset') {
    return { id: `fake-ruleset-${created}`, outs: { ...inputs, rulesetId: created } };
  }
  return { id: `fake-${created}-${name}`, outs: inputs };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const existing = (): Record<string, Record<string, Properties>> =>
  JSON.parse(process.env[EXISTING_VARIABLE] ?? '{}') as Record<string, Record<string, Properties>>;

export const fakeGitHubProvider: provider.Provider = {
  version,
  async check(urn, _olds, news) {
    record('check', urn, news);
    return { inputs: news };
  },
  async diff(id, urn, olds, news) {
    record('diff', urn, news, id);
    // A change is an input whose value differs from the state's (the state holds the inputs).
    const changed = Object.keys(news).filter((key) => !same(news[key], olds[key]));
    return { changes: changed.length > 0 };
  },
  async create(urn, inputs) {
    record('create', urn, inputs);
    return createdState(urnParts(urn).type, inputs);
  },
  async read(id, urn, props) {
    record('read', urn, props ?? {}, id);
    const found = existing()[urnParts(urn).type]?.[id];
    return found ? { id, props: found, inputs: found } : {};
  },
  async update(id, urn, olds, news) {
    record('update', urn, news, id);
    return { outs: { ...olds, ...news } };
  },
  async delete(id, urn, props) {
    record('delete', urn, props, id);
  },
};

/**
 * The SDK's provider server reads `properties` of every Read request, but `pulumi import` sends none
 * (only the id): without this, an import through a Node.js provider fails with "Cannot read properties
 * of undefined (reading 'toJavaScript')". An absent Struct is read as an empty one.
 */
function readImportsWithoutProperties(): void {
  const properties = Object.getOwnPropertyDescriptor(ReadRequest.prototype, 'getProperties')?.value as (
    this: ReadRequest,
  ) => Struct | undefined;
  ReadRequest.prototype.getProperties = function (this: ReadRequest) {
    return properties.call(this) ?? new Struct();
  };
}

if (require.main === module) {
  readImportsWithoutProperties();
  provider.main(fakeGitHubProvider, process.argv.slice(2)).catch((error: unknown) => {
    console.error(`fake pulumi-resource-github: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
