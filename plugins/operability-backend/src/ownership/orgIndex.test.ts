import { Entity } from '@backstage/catalog-model';
import {
  buildOrgIndex,
  linkPeople,
  membersOfTeam,
  resolveOwnership,
} from './orgIndex';

function group(
  name: string,
  opts: { parent?: string; email?: string; slack?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      namespace: 'default',
      ...(opts.slack
        ? { annotations: { 'operability.io/slack-channel': opts.slack } }
        : {}),
    },
    spec: {
      type: 'team',
      profile: {
        displayName: name.toUpperCase(),
        ...(opts.email ? { email: opts.email } : {}),
      },
    },
    relations: opts.parent
      ? [{ type: 'childOf', targetRef: `group:default/${opts.parent}` }]
      : [],
  };
}

function user(name: string, ...teams: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {
      profile: { displayName: `${name} person`, email: `${name}@example.com` },
    },
    relations: teams.map(t => ({
      type: 'memberOf',
      targetRef: `group:default/${t}`,
    })),
  };
}

function component(owner?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'svc', namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      ...(owner ? { owner } : {}),
    },
  };
}

const index = buildOrgIndex(
  [
    group('engineering'),
    group('commerce', { parent: 'engineering' }),
    group('payments', {
      parent: 'commerce',
      email: 'pay@example.com',
      slack: '#pay',
    }),
    group('fraud', { parent: 'payments' }),
  ],
  [
    user('alice', 'payments'),
    user('bob', 'payments', 'fraud'),
    user('carol', 'fraud'),
    user('dave'),
  ],
);

describe('resolveOwnership', () => {
  it('resolves a group owner with members, sub-team members, contacts and parents', () => {
    const owner = resolveOwnership(component('payments'), index);
    expect(owner).toEqual({
      declared: 'group:default/payments',
      ref: 'group:default/payments',
      title: 'PAYMENTS',
      resolvedFrom: 'group',
      members: [
        {
          ref: 'user:default/alice',
          title: 'alice person',
          email: 'alice@example.com',
          direct: true,
        },
        {
          ref: 'user:default/bob',
          title: 'bob person',
          email: 'bob@example.com',
          direct: true,
        },
        {
          ref: 'user:default/carol',
          title: 'carol person',
          email: 'carol@example.com',
          direct: false,
        },
      ],
      contacts: { email: 'pay@example.com', slack: '#pay' },
      parents: ['group:default/commerce', 'group:default/engineering'],
    });
  });

  it('resolves a user owner to the user team and flags it', () => {
    const owner = resolveOwnership(component('user:default/carol'), index);
    expect(owner.declared).toBe('user:default/carol');
    expect(owner.ref).toBe('group:default/fraud');
    expect(owner.resolvedFrom).toBe('user');
  });

  it('reports a user owner without a team, a dangling owner and no owner', () => {
    expect(
      resolveOwnership(component('user:default/dave'), index),
    ).toMatchObject({
      declared: 'user:default/dave',
      ref: null,
      resolvedFrom: 'user',
    });
    expect(
      resolveOwnership(component('group:default/ghost'), index),
    ).toMatchObject({
      declared: 'group:default/ghost',
      ref: null,
      resolvedFrom: 'dangling',
      members: [],
    });
    expect(resolveOwnership(component(), index)).toMatchObject({
      declared: null,
      ref: null,
      resolvedFrom: 'none',
    });
  });

  it('treats a malformed owner ref as dangling rather than failing', () => {
    expect(resolveOwnership(component('a:b:c/d/e'), index).resolvedFrom).toBe(
      'dangling',
    );
  });

  it('answers for a Group entity with the group itself', () => {
    const owner = resolveOwnership(
      group('commerce', { parent: 'engineering' }),
      index,
    );
    expect(owner.ref).toBe('group:default/commerce');
    expect(owner.members.map(m => m.ref)).toEqual([
      'user:default/alice',
      'user:default/bob',
      'user:default/carol',
    ]);
    expect(owner.members.every(m => !m.direct)).toBe(true);
  });
});

describe('membersOfTeam', () => {
  it('survives a cycle in the group hierarchy', () => {
    const cyclic = buildOrgIndex(
      [group('a', { parent: 'b' }), group('b', { parent: 'a' })],
      [user('x', 'a'), user('y', 'b')],
    );
    expect(membersOfTeam(cyclic, 'group:default/a').map(m => m.ref)).toEqual([
      'user:default/x',
      'user:default/y',
    ]);
    expect(resolveOwnership(component('a'), cyclic).parents).toEqual([
      'group:default/b',
    ]);
  });
});

describe('linkPeople', () => {
  it('ties people from an outside source to catalog users by email', () => {
    const linked = linkPeople(
      {
        source: 'pagerduty',
        primary: {
          ref: 'user:default/bob-pd',
          title: 'Bob B.',
          email: 'BOB@example.com',
        },
        secondary: { ref: 'pagerduty-user:PX1', title: 'Nobody' },
        until: null,
        status: 'ok',
        asOf: '2026-03-02T00:00:00Z',
      },
      index,
    );
    expect(linked.primary).toEqual({
      ref: 'user:default/bob',
      title: 'Bob B.',
      email: 'BOB@example.com',
    });
    expect(linked.secondary).toEqual({
      ref: 'pagerduty-user:PX1',
      title: 'Nobody',
    });
    // No shadows from the source: an empty list.
    expect(linked.shadows).toEqual([]);
  });

  it('ties shadows to catalog users too', () => {
    const linked = linkPeople(
      {
        source: 'other',
        primary: null,
        secondary: null,
        shadows: [
          { ref: 'other:bob', email: 'bob@example.com' },
          { ref: 'other:nobody', email: 'nobody@example.com' },
        ],
        until: null,
        status: 'ok',
        asOf: '2026-03-02T00:00:00Z',
      },
      index,
    );
    expect(linked.shadows.map(p => p.ref)).toEqual([
      'user:default/bob',
      'other:nobody',
    ]);
  });
});
