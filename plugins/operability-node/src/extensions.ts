import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { FactProvider, OnCallProvider } from './providers';

/**
 * Lets modules add on-call providers (PagerDuty, ...) to the operability plugin.
 * @public
 */
export interface OperabilityOnCallProvidersExtensionPoint {
  addOnCallProvider(...providers: OnCallProvider[]): void;
}

/** @public */
export const operabilityOnCallProvidersExtensionPoint =
  createExtensionPoint<OperabilityOnCallProvidersExtensionPoint>({
    id: 'operability.on-call-providers',
  });

/**
 * Lets modules add fact providers (Prometheus, Alertmanager, ...) to the operability plugin.
 * @public
 */
export interface OperabilityFactProvidersExtensionPoint {
  addFactProvider(...providers: FactProvider[]): void;
}

/** @public */
export const operabilityFactProvidersExtensionPoint =
  createExtensionPoint<OperabilityFactProvidersExtensionPoint>({
    id: 'operability.fact-providers',
  });
