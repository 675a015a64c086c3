import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { OperabilityCheck } from './checks';
import type { PageSource } from './pages';
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

/**
 * Lets modules add readiness checks to the operability plugin's rubric. Each
 * {@link OperabilityCheck} names the facts it needs; some fact provider must
 * declare them. A module check whose id clashes with another check, or that
 * needs a fact no provider declares, fails start-up, naming the module and
 * the check id.
 * @public
 */
export interface OperabilityChecksExtensionPoint {
  /**
   * Adds checks to the rubric, after the built-in ones. Throws when a check
   * is malformed (an id not of the form `<category>.<name>`, a missing
   * title, an unknown level, ...), which fails the calling module.
   */
  addChecks(...checks: OperabilityCheck[]): void;
}

/** @public */
export const operabilityChecksExtensionPoint =
  createExtensionPoint<OperabilityChecksExtensionPoint>({
    id: 'operability.checks',
  });

/**
 * Lets modules add page sources (PagerDuty incidents, Prometheus alert
 * episodes, ...) to the operability plugin, for the on-call load.
 * @public
 */
export interface OperabilityPageSourcesExtensionPoint {
  addPageSource(...sources: PageSource[]): void;
}

/** @public */
export const operabilityPageSourcesExtensionPoint =
  createExtensionPoint<OperabilityPageSourcesExtensionPoint>({
    id: 'operability.page-sources',
  });
