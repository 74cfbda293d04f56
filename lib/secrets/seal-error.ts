import { RuleIdentity } from '../rule/rule-identity';

/** The certificate values are sealed with. */
export const SEALING_CERTIFICATE_RULE: RuleIdentity = {
  id: 'SEAL001',
  title: "Values are sealed with a valid RSA certificate of the cluster's own controller",
  fix:
    "Fetch the certificate from the cluster's Sealed Secrets controller (kubeseal --fetch-cert) into the " +
    "cluster's file and seal again.",
};

/** A file of sealed values. */
export const SEALED_VALUES_FILE_RULE: RuleIdentity = {
  id: 'SEAL002',
  title: 'A file of sealed values holds values of declared keys only, sealed for its own Secret',
  fix:
    'Write the file only with npm run seal; to start a secret over, delete the file and seal each of its ' +
    'keys again.',
};

/** Every declared key, in every environment. */
export const SEALED_VALUE_PRESENT_RULE: RuleIdentity = {
  id: 'SEAL003',
  title:
    "Every key a service declares has a sealed value in every environment; once a cluster's certificate is committed, so does every Secret the platform declares there",
  fix: 'Seal the value with npm run seal (from standard input) and commit the file it writes, then run npm run synth.',
};

/** The value given to `npm run seal`. */
export const SEAL_INPUT_RULE: RuleIdentity = {
  id: 'SEAL004',
  title: 'A value to seal comes from standard input, and is not empty',
  fix: 'Pipe the value or redirect a file into npm run seal; never pass it as an argument.',
};

/** The rules of sealing and of the sealed files, in id order. */
export const SEAL_RULES: readonly RuleIdentity[] = [
  SEALING_CERTIFICATE_RULE,
  SEALED_VALUES_FILE_RULE,
  SEALED_VALUE_PRESENT_RULE,
  SEAL_INPUT_RULE,
];

export interface SealErrorProps {
  /** The rule broken: its id starts the message. */
  readonly rule: RuleIdentity;
  /** The file concerned, relative to the repository root (or `standard input`). */
  readonly file: string;
  /** What is wrong, with the offending value. */
  readonly problem: string;
  /** What to do in this case: more precise than the rule's own fix. */
  readonly fix: string;
}

/**
 * Sealing, or reading what was sealed, cannot go on: `npm run seal` writes nothing and synth writes
 * nothing. The message reads `[<rule>] <file>: <problem>. Fix: <fix>`.
 */
export class SealError extends Error {
  public readonly ruleId: string;
  public readonly file: string;

  constructor(props: SealErrorProps) {
    super(`[${props.rule.id}] ${props.file}: ${props.problem}. Fix: ${props.fix}`);
    this.name = 'SealError';
    this.ruleId = props.rule.id;
    this.file = props.file;
  }
}
