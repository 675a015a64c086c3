import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import operabilityPlugin from '@opsready/plugin-operability/alpha';
import { catalogModule } from './modules/catalog';
import { navModule } from './modules/nav';

/**
 * The demo app, on the new frontend system. Plugins listed in package.json are
 * also discovered (`app.packages: all`); naming them here keeps the demo explicit.
 */
export default createApp({
  features: [
    catalogPlugin,
    catalogModule,
    orgPlugin,
    operabilityPlugin,
    // The bell in the sidebar (see modules/nav) and /notifications; signals
    // push new ones to the open app.
    notificationsPlugin,
    signalsPlugin,
    navModule,
  ],
});
