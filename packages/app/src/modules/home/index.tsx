import { createFrontendModule } from '@backstage/frontend-plugin-api';
import homePlugin from '@backstage/plugin-home/alpha';
import { HomePageLayoutBlueprint } from '@backstage/plugin-home-react/alpha';

const homeLayout = HomePageLayoutBlueprint.make({
  params: {
    loader: () => import('./HomeLayout').then(m => m.HomeLayout),
  },
});

/**
 * The home page at /home (`@backstage/plugin-home`) with the operability
 * card "On call for my teams". The home plugin's widgets that need setup the
 * demo lacks (visit tracking, an outside joke API, clocks to configure) are
 * left out.
 */
export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [
    homeLayout,
    ...(
      [
        'home-page-widget:home/random-joke',
        'home-page-widget:home/most-visited',
        'home-page-widget:home/recently-visited',
        'home-page-widget:home/world-clock',
      ] as const
    ).map(id => homePlugin.getExtension(id).override({ disabled: true })),
  ],
});
