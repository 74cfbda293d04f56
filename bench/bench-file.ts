/** One file of a generated bench tree: where it goes (relative to the tree's root) and what it holds. */
export interface BenchFile {
  readonly path: string;
  /** Its documents, in order; most files hold one. */
  readonly objects: readonly Record<string, unknown>[];
}
