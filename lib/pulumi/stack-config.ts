import { parse } from 'yaml';

/**
 * Reads a stack file (`Pulumi.<stack>.yaml`) into the form `pulumi.runtime.allConfig()` returns:
 * `namespace:key` → string, structured values as JSON. Lets code outside the engine (exports, tests)
 * read exactly the configuration a `pulumi up` would get.
 */
export function stackFileConfig(text: string, source: string): Record<string, string> {
  const document = (parse(text) ?? {}) as { config?: Record<string, unknown> };
  const config = document.config ?? {};
  if (typeof config !== 'object' || Array.isArray(config))
    throw new Error(`${source}: "config" is not a map`);
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
}

/**
 * Typed, validated access to one project's configuration (`<project>:<key>` entries of `all`). Every
 * error names the full key, the value received and the command that fixes it.
 */
export class ProjectConfig {
  private readonly values: ReadonlyMap<string, string>;

  constructor(
    all: Readonly<Record<string, string>>,
    public readonly project: string,
  ) {
    const prefix = `${project}:`;
    this.values = new Map(
      Object.entries(all)
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, value]) => [key.slice(prefix.length), value]),
    );
  }

  /** Keys set for this project. */
  keys(): string[] {
    return [...this.values.keys()];
  }

  /** Throws if a key is set that is not in `known` (a typo would otherwise be silently ignored). */
  rejectUnknownKeys(known: readonly string[]): void {
    const unknown = this.keys().filter((key) => !known.includes(key));
    if (unknown.length > 0) {
      throw new Error(
        `unknown configuration ${unknown.map((key) => `${this.project}:${key}`).join(', ')}; known keys: ${known.join(', ')}`,
      );
    }
  }

  string(key: string, fallback: string): string {
    const value = this.values.get(key) ?? fallback;
    if (value.trim() === '') throw this.error(key, value, `pulumi config set ${key} <value>`);
    return value;
  }

  /** A whole number; `fallback` when unset, or an error telling how to set it when there is none. */
  integer(key: string, fallback?: number): number {
    const raw = this.values.get(key);
    if (raw === undefined) {
      if (fallback === undefined) throw this.error(key, undefined, `pulumi config set ${key} <number>`);
      return fallback;
    }
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
      throw this.error(key, raw, `pulumi config set ${key} <whole number>`);
    }
    return value;
  }

  /** `true` or `false` (as `pulumi config set <key> true` writes it); `fallback` when unset. */
  boolean(key: string, fallback: boolean): boolean {
    const raw = this.values.get(key);
    if (raw === undefined) return fallback;
    const value = raw.trim();
    if (value !== 'true' && value !== 'false')
      throw this.error(key, raw, `pulumi config set ${key} true|false`);
    return value === 'true';
  }

  /** A list of strings, written as a YAML list in the stack file (`--path` on the command line). */
  stringList(key: string, fallback?: readonly string[]): string[] {
    const raw = this.values.get(key);
    if (raw === undefined) {
      if (fallback === undefined)
        throw this.error(key, undefined, `pulumi config set --path '${key}[0]' <value>`);
      return [...fallback];
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw this.error(
        key,
        raw,
        `write it as a YAML list of strings, or pulumi config set --path '${key}[0]' <value>`,
      );
    }
    return value;
  }

  private error(key: string, value: string | undefined, fix: string): Error {
    const received = value === undefined ? 'is not set' : `has value ${JSON.stringify(value)}`;
    return new Error(`${this.project}:${key} ${received}; fix: ${fix}`);
  }
}
