import { PolicyOptions } from '../lib';
import { registry } from './config';

/** The settings production is checked with, at synth and by `npm run policy`. */
export const policyOptions: PolicyOptions = { allowedRegistries: [`${registry}/`] };
