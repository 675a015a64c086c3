import {
  Entity,
  RELATION_CHILD_OF,
  RELATION_MEMBER_OF,
  RELATION_PARENT_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATIONS,
  EntityRef,
  entityRefOf,
  OnCall,
  Ownership,
  Person,
} from '@opsready/plugin-operability-common';

/**
 * The organisation as the ownership logic needs it: groups, users and the
 * links between them, indexed by ref. Built once from a batch read of the
 * catalog; resolving an owner is then pure and cheap.
 */
export interface OrgIndex {
  groups: Map<EntityRef, Entity>;
  users: Map<EntityRef, Entity>;
  /** group -> direct member user refs */
  membersOf: Map<EntityRef, EntityRef[]>;
  /** group -> direct child group refs */
  childrenOf: Map<EntityRef, EntityRef[]>;
  /** group -> parent group ref */
  parentOf: Map<EntityRef, EntityRef>;
  /** user -> groups the user is a direct member of */
  groupsOf: Map<EntityRef, EntityRef[]>;
  /** lower-case email -> user ref */
  usersByEmail: Map<string, EntityRef>;
}

function refsOfRelation(entity: Entity, type: string): EntityRef[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef.toLowerCase());
}

function push(
  map: Map<EntityRef, EntityRef[]>,
  key: EntityRef,
  value: EntityRef,
) {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** Normalises a ref that may omit kind or namespace, as `spec.owner` may. */
export function normalizeRef(
  ref: string,
  defaultKind: string,
  defaultNamespace = 'default',
): EntityRef {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind, defaultNamespace }),
  ).toLowerCase();
}

/**
 * Builds the index from Group and User entities. Membership comes from the
 * catalog's relations (memberOf / childOf / parentOf), which the catalog derives
 * from `spec.memberOf`, `spec.parent` and `spec.children` on either side.
 */
export function buildOrgIndex(groups: Entity[], users: Entity[]): OrgIndex {
  const index: OrgIndex = {
    groups: new Map(),
    users: new Map(),
    membersOf: new Map(),
    childrenOf: new Map(),
    parentOf: new Map(),
    groupsOf: new Map(),
    usersByEmail: new Map(),
  };
  for (const group of groups) {
    const ref = entityRefOf(group);
    index.groups.set(ref, group);
    for (const parent of refsOfRelation(group, RELATION_CHILD_OF)) {
      index.parentOf.set(ref, parent);
      push(index.childrenOf, parent, ref);
    }
    for (const child of refsOfRelation(group, RELATION_PARENT_OF)) {
      push(index.childrenOf, ref, child);
      if (!index.parentOf.has(child)) index.parentOf.set(child, ref);
    }
  }
  for (const user of users) {
    const ref = entityRefOf(user);
    index.users.set(ref, user);
    const email = (user.spec?.profile as { email?: string } | undefined)?.email;
    if (email) index.usersByEmail.set(email.toLowerCase(), ref);
    for (const group of refsOfRelation(user, RELATION_MEMBER_OF)) {
      push(index.membersOf, group, ref);
      push(index.groupsOf, ref, group);
    }
  }
  return index;
}

export function personOf(index: OrgIndex, ref: EntityRef): Person {
  const user = index.users.get(ref);
  const profile = (user?.spec?.profile ?? {}) as {
    displayName?: string;
    email?: string;
  };
  return {
    ref,
    ...(profile.displayName || user?.metadata.title
      ? { title: profile.displayName ?? user?.metadata.title }
      : {}),
    ...(profile.email ? { email: profile.email } : {}),
  };
}

/**
 * Ties people named by an outside source (PagerDuty) to catalog users by
 * email, so they link to user pages and count as team members; shadows too
 * (a list, also when a provider left it out).
 */
export function linkPeople(
  onCall: Omit<OnCall, 'shadows'> & { shadows?: Person[] },
  index: OrgIndex,
): OnCall {
  const link = (person: Person | null) =>
    person ? linkPerson(person, index) : null;
  return {
    ...onCall,
    primary: link(onCall.primary),
    secondary: link(onCall.secondary),
    shadows: (onCall.shadows ?? []).map(person => linkPerson(person, index)),
  };
}

/** A person from an on-call source, tied to the catalog user with the same email. */
export function linkPerson(person: Person, index: OrgIndex): Person {
  if (!person.email) return person;
  const ref = index.usersByEmail.get(person.email.toLowerCase());
  if (!ref || ref === person.ref) return person;
  return { ...personOf(index, ref), ...person, ref };
}

/** The group and every group below it, breadth first, each once (cycles are cut). */
export function subTeamsOf(index: OrgIndex, group: EntityRef): EntityRef[] {
  const seen = new Set<EntityRef>([group]);
  const queue = [group];
  for (let i = 0; i < queue.length; i++) {
    for (const child of index.childrenOf.get(queue[i]) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return queue;
}

/** Parent chain, nearest first; stops at a cycle. */
export function parentsOf(index: OrgIndex, group: EntityRef): EntityRef[] {
  const chain: EntityRef[] = [];
  const seen = new Set<EntityRef>([group]);
  let current = index.parentOf.get(group);
  while (current && !seen.has(current)) {
    chain.push(current);
    seen.add(current);
    current = index.parentOf.get(current);
  }
  return chain;
}

/** Members per index and team: many entities share a team, and an index never changes. */
const membersCache = new WeakMap<
  OrgIndex,
  Map<EntityRef, (Person & { direct: boolean })[]>
>();

/**
 * Members of a team: its direct members first, then those of its sub-teams
 * (`direct: false`), each person once. Computed once per index and team (a
 * department's list has every member of its teams): the list is shared, not
 * to be changed.
 */
export function membersOfTeam(
  index: OrgIndex,
  group: EntityRef,
): (Person & { direct: boolean })[] {
  let cache = membersCache.get(index);
  if (!cache) membersCache.set(index, (cache = new Map()));
  let members = cache.get(group);
  if (!members) {
    members = collectMembers(index, group);
    cache.set(group, members);
  }
  return members;
}

function collectMembers(
  index: OrgIndex,
  group: EntityRef,
): (Person & { direct: boolean })[] {
  const result: (Person & { direct: boolean })[] = [];
  const seen = new Set<EntityRef>();
  for (const team of subTeamsOf(index, group)) {
    for (const user of index.membersOf.get(team) ?? []) {
      if (seen.has(user)) continue;
      seen.add(user);
      result.push({ ...personOf(index, user), direct: team === group });
    }
  }
  return result;
}

/** Answers per index and entity object: neither changes. */
const ownershipCache = new WeakMap<OrgIndex, WeakMap<Entity, Ownership>>();

/**
 * Resolves who owns an entity. A Group owner is the team; a User owner leads to
 * the user's first team (flagged `resolvedFrom: 'user'`); an owner that resolves
 * to nothing is `dangling`, not an error.
 */
export function resolveOwnership(entity: Entity, index: OrgIndex): Ownership {
  // The cycle asks several times per entity (facts, on-call, report columns).
  let cache = ownershipCache.get(index);
  if (!cache) ownershipCache.set(index, (cache = new WeakMap()));
  let owner = cache.get(entity);
  if (!owner) {
    owner = resolveOwnershipUncached(entity, index);
    cache.set(entity, owner);
  }
  return owner;
}

function resolveOwnershipUncached(entity: Entity, index: OrgIndex): Ownership {
  const empty: Ownership = {
    declared: null,
    ref: null,
    resolvedFrom: 'none',
    members: [],
    contacts: {},
    parents: [],
  };
  // A Group's owner is itself: its page shows the team.
  if (entity.kind.toLowerCase() === 'group') {
    const self = entityRefOf(entity);
    return { ...teamOwnership(index, self, 'group'), declared: self };
  }
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || owner.trim() === '') return empty;

  let declared: EntityRef;
  try {
    declared = normalizeRef(owner.trim(), 'group', entity.metadata.namespace);
  } catch {
    return { ...empty, declared: owner, resolvedFrom: 'dangling' };
  }

  if (index.groups.has(declared)) {
    return { ...teamOwnership(index, declared, 'group'), declared };
  }
  if (index.users.has(declared)) {
    const team = index.groupsOf.get(declared)?.find(g => index.groups.has(g));
    if (team) return { ...teamOwnership(index, team, 'user'), declared };
    return { ...empty, declared, resolvedFrom: 'user' };
  }
  return { ...empty, declared, resolvedFrom: 'dangling' };
}

/** Team answers per index: many entities share a team, and the index never changes. */
const teamCache = new WeakMap<
  OrgIndex,
  Map<string, Omit<Ownership, 'declared'>>
>();

function teamOwnership(
  index: OrgIndex,
  team: EntityRef,
  resolvedFrom: 'group' | 'user',
): Omit<Ownership, 'declared'> {
  let cache = teamCache.get(index);
  if (!cache) teamCache.set(index, (cache = new Map()));
  const key = `${resolvedFrom} ${team}`;
  let answer = cache.get(key);
  if (!answer) {
    answer = buildTeamOwnership(index, team, resolvedFrom);
    cache.set(key, answer);
  }
  return answer;
}

function buildTeamOwnership(
  index: OrgIndex,
  team: EntityRef,
  resolvedFrom: 'group' | 'user',
): Omit<Ownership, 'declared'> {
  const group = index.groups.get(team)!;
  const profile = (group.spec?.profile ?? {}) as {
    displayName?: string;
    email?: string;
  };
  const slack = group.metadata.annotations?.[ANNOTATIONS.slackChannel];
  const title = profile.displayName ?? group.metadata.title;
  return {
    ref: team,
    ...(title ? { title } : {}),
    resolvedFrom,
    members: membersOfTeam(index, team),
    contacts: {
      ...(profile.email ? { email: profile.email } : {}),
      ...(slack ? { slack } : {}),
    },
    parents: parentsOf(index, team),
  };
}
