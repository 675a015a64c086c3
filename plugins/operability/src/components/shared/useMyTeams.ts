import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';

/**
 * The teams of the signed-in user: the Group refs among their ownership refs
 * (their groups, as the sign-in resolver put them in the token), lower-case.
 */
export function useMyTeams(): {
  loading: boolean;
  error?: Error;
  teams: string[];
} {
  const identityApi = useApi(identityApiRef);
  const { value, loading, error } = useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    const groups = identity.ownershipEntityRefs
      .map(ref => ref.toLocaleLowerCase('en-US'))
      .filter(ref => ref.startsWith('group:'));
    return [...new Set(groups)].sort();
  }, [identityApi]);
  return { loading, error, teams: value ?? [] };
}

/** A team's name for a chip or heading when no title is known: `payments` of `group:default/payments`. */
export function shortRefName(ref: string): string {
  return ref.replace(/^[^:]*:/, '').replace(/^default\//, '');
}
