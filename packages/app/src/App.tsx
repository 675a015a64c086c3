import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogImportPlugin from '@backstage/plugin-catalog-import/alpha';
import homePlugin from '@backstage/plugin-home/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import operabilityPlugin from '@opsready/plugin-operability/alpha';
import { catalogModule } from './modules/catalog';
import { homeModule } from './modules/home';
import { navModule } from './modules/nav';

/**
 * The demo app, on the new frontend system. Plugins listed in package.json are
 * also discovered (`app.packages: all`); naming them here keeps the demo explicit.
 */
export default createApp({
  features: [
    catalogPlugin,
    catalogModule,
    // /catalog-import, where an existing component is registered: the
    // catalog's Create button leads there (bound below).
    catalogImportPlugin,
    orgPlugin,
    operabilityPlugin,
    // /home, with the operability card "On call for my teams".
    homePlugin,
    homeModule,
    // The bell in the sidebar (see modules/nav) and /notifications; signals
    // push new ones to the open app.
    notificationsPlugin,
    signalsPlugin,
    navModule,
  ],
  // The catalog shows its Create button only once its `createComponent`
  // route is bound; by default that is the scaffolder's page, which the demo
  // has not. Bound by route ref, so a renamed route fails type checking.
  bindRoutes({ bind }) {
    bind(catalogPlugin.externalRoutes, {
      createComponent: catalogImportPlugin.routes.importPage,
    });
  },
});
