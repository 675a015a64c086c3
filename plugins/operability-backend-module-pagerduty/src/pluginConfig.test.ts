import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import {
  type OnCallProvider,
  operabilityOnCallProvidersExtensionPoint,
  operabilityPageSourcesExtensionPoint,
  type PageSource,
} from '@opsready/plugin-operability-node';
import { PagerDutyClient, PagerDutyError } from './client/PagerDutyClient';
import { operabilityModulePagerDuty } from './module';
import { component, FakePagerDuty } from './__testUtils__/fakePagerDuty';

// The PagerDuty plugin's own config (`pagerDuty.*`) and annotations
// (`pagerduty.com/integration-key`, `pagerduty.com/account`), against local
// fakes of PagerDuty's REST API and identity endpoint.

jest.setTimeout(30_000);

const withAnnotations = (name: string, annotations: Record<string, string>) => {
  const entity = component(name);
  return {
    ...entity,
    metadata: { ...entity.metadata, annotations },
  };
};

/** The module on this config; the provider and page source it registers. */
async function start(data: JsonObject) {
  const addOnCallProvider = jest.fn();
  const addPageSource = jest.fn();
  const backend = await startTestBackend({
    extensionPoints: [
      [operabilityOnCallProvidersExtensionPoint, { addOnCallProvider }],
      [operabilityPageSourcesExtensionPoint, { addPageSource }],
    ],
    features: [
      operabilityModulePagerDuty,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  expect(addOnCallProvider).toHaveBeenCalledTimes(1);
  expect(addPageSource).toHaveBeenCalledTimes(1);
  return {
    backend,
    provider: addOnCallProvider.mock.calls[0][0] as OnCallProvider,
    pages: addPageSource.mock.calls[0][0] as PageSource,
  };
}

describe("PagerDuty plugin's config and annotations", () => {
  let us: FakePagerDuty;
  let eu: FakePagerDuty;

  beforeAll(async () => {
    us = await FakePagerDuty.start({
      token: 'us-token',
      services: [
        {
          id: 'PUS',
          name: 'payments',
          policyId: 'PEUS',
          integrationKeys: ['0123456789abcdef0123456789abcdef'],
        },
      ],
      users: [{ id: 'PU1', name: 'Ann Lee', email: 'ann@example.com' }],
      oncalls: [
        {
          policyId: 'PEUS',
          level: 1,
          userId: 'PU1',
          scheduleId: 'PSUS',
          start: '2026-01-01T00:00:00Z',
          end: '2099-01-01T00:00:00Z',
        },
      ],
    });
    eu = await FakePagerDuty.start({
      token: 'unused',
      oauth: {
        clientId: 'eu-client',
        clientSecret: 'eu-secret',
        account: 'eu.acme-eu',
      },
      services: [{ id: 'PEU', name: 'ledger', policyId: 'PEEU' }],
      users: [{ id: 'PU2', name: 'Bo Chen', email: 'bo@example.com' }],
      oncalls: [
        { policyId: 'PEEU', level: 1, userId: 'PU2', start: null, end: null },
      ],
    });
  });
  afterAll(async () => {
    await us.stop();
    await eu.stop();
  });
  beforeEach(() => {
    us.reset();
    eu.reset();
  });

  it('reads pagerDuty.apiToken when operability.pagerduty is absent, resolves integration keys and links to PagerDuty', async () => {
    const { backend, provider, pages } = await start({
      pagerDuty: { apiToken: 'us-token', apiBaseUrl: us.url },
    });
    try {
      const byKey = withAnnotations('payments', {
        'pagerduty.com/integration-key': '0123456789abcdef0123456789abcdef',
      });
      const unknownKey = withAnnotations('ghost', {
        'pagerduty.com/integration-key': 'ffffffffffffffffffffffffffff9999',
      });
      expect(provider.covers(byKey)).toBe(true);
      expect(pages.covers(byKey)).toBe(true);
      const answers = await provider.getOnCall({
        entities: [byKey, unknownKey],
        at: new Date(),
      });
      expect(answers.get('component:default/payments')).toMatchObject({
        source: 'pagerduty',
        status: 'ok',
        primary: { ref: 'user:default/ann', email: 'ann@example.com' },
        links: {
          service: 'https://acme.pagerduty.com/service-directory/PUS',
          escalationPolicy:
            'https://acme.pagerduty.com/escalation_policies/PEUS',
          schedule: 'https://acme.pagerduty.com/schedules/PSUS',
        },
      });
      // The key is a secret of sorts: only its end is named.
      const ghost = answers.get('component:default/ghost');
      expect(ghost).toMatchObject({ status: 'unknown' });
      expect(ghost?.reason).toBe(
        'No PagerDuty service has the integration key …9999',
      );
      // One services list, with its integrations, for both.
      const lists = us.requestsTo('/services');
      expect(lists.length).toBeGreaterThanOrEqual(1);
      expect(lists[0].query.getAll('include[]')).toEqual(['integrations']);
      expect(lists[0].headers.authorization).toBe('Token token=us-token');

      // Pages find the service through the key too.
      const batch = await pages.collect({
        entities: [byKey, unknownKey],
        since: new Date('2026-01-01T00:00:00Z'),
        until: new Date('2026-01-02T00:00:00Z'),
      });
      expect(batch.errors?.get('component:default/ghost')).toBe(
        'PagerDuty has no integration key …9999',
      );
      expect(batch.turns?.get('component:default/payments')).toEqual([
        expect.objectContaining({
          primary: expect.objectContaining({ ref: 'user:default/ann' }),
        }),
      ]);
    } finally {
      await backend.stop();
    }
  });

  it('reads pagerDuty.accounts: each entity through the account it names, OAuth tokens from the identity endpoint', async () => {
    const { backend, provider, pages } = await start({
      operability: {
        pagerduty: {
          oauthTokenUrl: `${eu.url}/oauth/token`,
          cacheTtl: { seconds: 0 },
        },
      },
      pagerDuty: {
        accounts: [
          {
            id: 'us',
            isDefault: true,
            apiToken: 'us-token',
            apiBaseUrl: us.url,
          },
          {
            id: 'eu',
            apiBaseUrl: eu.url,
            eventsBaseUrl: 'https://events.eu.pagerduty.com/v2',
            oauth: {
              clientId: 'eu-client',
              clientSecret: 'eu-secret',
              subDomain: 'acme-eu',
              region: 'eu',
            },
          },
        ],
      },
    });
    try {
      const payments = withAnnotations('payments', {
        'pagerduty.com/service-id': 'PUS',
      });
      const ledger = withAnnotations('ledger', {
        'pagerduty.com/service-id': 'PEU',
        'pagerduty.com/account': 'eu',
      });
      const lost = withAnnotations('lost', {
        'pagerduty.com/service-id': 'PEU',
        'pagerduty.com/account': 'apac',
      });
      expect(provider.id).toBe('pagerduty');
      expect([payments, ledger, lost].map(e => provider.covers(e))).toEqual([
        true,
        true,
        true,
      ]);
      for (let i = 0; i < 2; i++) {
        const answers = await provider.getOnCall({
          entities: [payments, ledger, lost],
          at: new Date(),
        });
        expect(answers.get('component:default/payments')).toMatchObject({
          status: 'ok',
          primary: { ref: 'user:default/ann' },
        });
        expect(answers.get('component:default/ledger')).toMatchObject({
          status: 'ok',
          primary: { ref: 'user:default/bo' },
          links: {
            service: 'https://acme.pagerduty.com/service-directory/PEU',
          },
        });
        expect(answers.get('component:default/lost')).toMatchObject({
          status: 'unknown',
          reason: expect.stringContaining(
            "pagerduty.com/account: no PagerDuty account 'apac' is configured",
          ),
        });
      }
      // The EU account: Bearer tokens from the identity endpoint, asked for
      // once (cached until it expires), scoped to the account.
      expect(eu.accessTokens).toEqual(['pdus+1']);
      expect(eu.scopesAsked[0].split(' ')).toEqual(
        expect.arrayContaining(['as_account-eu.acme-eu', 'oncalls.read']),
      );
      const euCalls = eu.requests.filter(r => r.path !== '/oauth/token');
      expect(euCalls.length).toBeGreaterThan(1);
      for (const call of euCalls) {
        expect(call.headers.authorization).toBe('Bearer pdus+1');
      }
      // The US account never sees the EU entity, nor the EU account the US one.
      expect(
        us
          .requestsTo('/oncalls')
          .flatMap(r => r.query.getAll('escalation_policy_ids[]')),
      ).not.toContain('PEEU');

      const batch = await pages.collect({
        entities: [payments, ledger, lost],
        since: new Date('2026-01-01T00:00:00Z'),
        until: new Date('2026-01-02T00:00:00Z'),
      });
      expect(batch.errors?.get('component:default/lost')).toContain("'apac'");
      expect([...(batch.turns?.keys() ?? [])].sort()).toEqual([
        'component:default/ledger',
        'component:default/payments',
      ]);
    } finally {
      await backend.stop();
    }
  });

  it('renews an OAuth token once it expires', async () => {
    eu.oauth = { ...eu.oauth!, expiresIn: 1 };
    try {
      const client = new PagerDutyClient({
        oauth: {
          clientId: 'eu-client',
          clientSecret: 'eu-secret',
          subDomain: 'acme-eu',
          region: 'eu',
          tokenUrl: `${eu.url}/oauth/token`,
        },
        baseUrl: eu.url,
      });
      const before = eu.accessTokens.length;
      await client.listServices();
      await client.listServices();
      expect(eu.accessTokens.length - before).toBe(1);
      // A token of 1 s is renewed after half its life (the usual margin is
      // a minute before expiry).
      await new Promise(r => setTimeout(r, 1100));
      await client.listServices();
      expect(eu.accessTokens.length - before).toBe(2);
    } finally {
      eu.oauth = { ...eu.oauth!, expiresIn: undefined };
    }
  });

  it('names the config path, never the secret, when the identity endpoint refuses the client', async () => {
    const client = new PagerDutyClient({
      oauth: {
        clientId: 'eu-client',
        clientSecret: 'wrong-secret',
        subDomain: 'acme-eu',
        region: 'eu',
        tokenUrl: `${eu.url}/oauth/token`,
      },
      credentialsConfigPath: 'pagerDuty.accounts[1].oauth',
      baseUrl: eu.url,
    });
    const error = await client.listServices().catch(e => e);
    expect(error).toBeInstanceOf(PagerDutyError);
    expect(error.message).toBe(
      "PagerDuty's identity endpoint refused the OAuth client (401: Client authentication failed; check pagerDuty.accounts[1].oauth)",
    );
    expect(error.message).not.toContain('wrong-secret');
  });

  it('stops start-up on bad PagerDuty plugin config, naming the path', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [
          [
            operabilityOnCallProvidersExtensionPoint,
            { addOnCallProvider: jest.fn() },
          ],
          [operabilityPageSourcesExtensionPoint, { addPageSource: jest.fn() }],
        ],
        features: [
          operabilityModulePagerDuty,
          mockServices.rootConfig.factory({
            data: { pagerDuty: { accounts: [{ id: 'x', apiToken: 'a b' }] } },
          }),
        ],
      }),
    ).rejects.toThrow("Invalid config at 'pagerDuty.accounts[0].apiToken'");
  });
});
