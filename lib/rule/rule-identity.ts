/**
 * What names a rule wherever the project reports it: a policy violation (`npm run policy`, synth), an
 * error of the release file (`PinFileError`), a rule of the SARIF report and its line in
 * `docs/policy.md`. Each id is declared once, as one of these, and every report takes its id and texts
 * from that declaration.
 */
export interface RuleIdentity {
  /** Stable identifier, e.g. `IMG001`. Never reused for another meaning. */
  readonly id: string;
  /** One-line statement of what the rule requires. */
  readonly title: string;
  /**
   * How to comply, in general. A report about one case may say more precisely what to do for it (a
   * `PinFileError` names the file and the image).
   */
  readonly fix: string;
}
