/** Where generated output and the release file live, relative to the repository root. */
export const INFRA_DIR = 'infra';
export const IMAGE_PINS_FILE = 'charts/image-pins.json';

/** Relative to INFRA_DIR. */
export const K8S_DIR = 'k8s';
export const BASE_DIR = `${K8S_DIR}/base`;
export const PROD_OVERLAY_DIR = `${K8S_DIR}/overlays/prod`;

/** Top-level folders of INFRA_DIR that `npm run synth` owns and replaces as a whole. */
export const SYNTH_OWNED_DIRS = [K8S_DIR];
