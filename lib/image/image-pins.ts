/** Logical image name → tag: the content of a release file, as read and before it is checked. */
export type ImagePins = Readonly<Record<string, unknown>>;
