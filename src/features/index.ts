/**
 * The features of the product, built by the runtime in this order.
 */
import type { Feature, FeatureDeps } from './types';

export type { Feature, FeatureDeps, HttpContext } from './types';

export function defaultFeatures(_deps: FeatureDeps): Feature[] {
  return [];
}
