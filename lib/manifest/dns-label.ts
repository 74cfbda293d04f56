/**
 * An RFC 1123 label, as Kubernetes requires of namespace names and many others: lower-case letters,
 * digits and "-", starting and ending with a letter or digit. Length is apart: `isDnsLabel`.
 */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True for a DNS label of at most 63 characters. */
export const isDnsLabel = (value: string): boolean => value.length <= 63 && DNS_LABEL.test(value);
