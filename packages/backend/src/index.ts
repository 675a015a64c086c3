import { createBackend } from '@backstage/backend-defaults';
import { demoPermissionPolicyModule } from './permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: the demo uses the guest provider.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// The catalog, with the Schedule kind of the operability catalog module.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@opsready/plugin-catalog-backend-module-operability'));

// Permissions: everything is allowed, except that only a service's owners may
// manage its operability exemptions.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(demoPermissionPolicyModule);

// Events: operability publishes operability.readiness.changed on them.
backend.add(import('@backstage/plugin-events-backend'));

// Notifications, pushed to the open app by signals: operability tells a
// service's owners when its readiness regresses, and updates that
// notification when it recovers (operability.notifications).
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Operability: ownership, on-call and readiness, with its fact and on-call sources.
backend.add(import('@opsready/plugin-operability-backend'));
backend.add(import('@opsready/plugin-operability-backend-module-prometheus'));
backend.add(import('@opsready/plugin-operability-backend-module-pagerduty'));

// MCP: the actions registered by the plugins listed in
// backend.actions.pluginSources (operability's who-owns, who-is-on-call,
// get-readiness, list-scorecards) as tools, at /api/mcp-actions/v1.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
