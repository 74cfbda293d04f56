import { KubeObject } from '../../lib';

/** The spec of `object` as plain data, as a file holds it: the assertions read nested fields freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const specOf = (object: KubeObject): any => object.spec;
