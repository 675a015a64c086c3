import { Content, Header, Page } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import type { HomePageLayoutProps } from '@backstage/plugin-home-react/alpha';

/** Widgets of the home page shown wide, first. */
const WIDE = new Set(['OnCallForMyTeams']);

/**
 * The demo's home page: the installed widgets on a plain grid, "On call for
 * my teams" first and wide. (The home plugin's default is a grid that each
 * user arranges, empty until they do.)
 */
export function HomeLayout(props: HomePageLayoutProps) {
  const orgName =
    useApi(configApiRef).getOptionalString('organization.name') ?? 'Backstage';
  const widgets = [...props.widgets].sort(
    (a, b) => Number(WIDE.has(b.name ?? '')) - Number(WIDE.has(a.name ?? '')),
  );
  return (
    <Page themeId="home">
      <Header title={`Welcome to ${orgName}`} />
      <Content>
        <Grid container spacing={3}>
          {widgets.map((widget, index) => (
            <Grid
              item
              key={widget.name ?? index}
              xs={12}
              md={WIDE.has(widget.name ?? '') ? 12 : 6}
            >
              {widget.component}
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
