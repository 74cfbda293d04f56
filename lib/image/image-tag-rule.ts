import { RuleIdentity } from '../rule/rule-identity';

/**
 * Rule IMG002, "images are pinned to a sha- tag or a digest": the policy checks it in manifests
 * (lib/policy/image-rules.ts) and the catalog in the release file (a pin is the tag every workload of
 * the image runs, so it is held to the rule at the source). Declared here, below both.
 */
export const IMAGE_TAG_RULE: RuleIdentity = {
  id: 'IMG002',
  title: 'Images are pinned to a sha- tag or a digest',
  fix:
    'Pin the tag CI built: "sha-" and the commit\'s first hex digits, exactly as many as CI writes ' +
    '(the message says how many), or a "@sha256:<digest>"; never latest, dev or no tag.',
};
