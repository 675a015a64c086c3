import { isLevel } from '@opsready/plugin-operability-common';
import type { ScorecardsQuery } from '../../api';
import { useCallback, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';

/** The filters of the services table, named as the scorecards endpoint names them. */
export const FILTER_KEYS = [
  'owner',
  'level',
  'type',
  'lifecycle',
  'failing',
] as const;

export type FilterKey = (typeof FILTER_KEYS)[number];

export type ScorecardFilterValues = Pick<ScorecardsQuery, FilterKey>;

export type SortKey = NonNullable<ScorecardsQuery['sort']>;

const SORT_KEYS: readonly SortKey[] = ['name', 'owner', 'score', 'level'];

export const PAGE_SIZES = [20, 50, 100];

/** Search, sort and paging of the services table. */
export interface TableQueryState {
  q?: string;
  sort?: SortKey;
  order?: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

function readFilters(params: URLSearchParams): ScorecardFilterValues {
  const filters: ScorecardFilterValues = {};
  // `owner` may repeat: the services of any of the owners.
  const owners = params
    .getAll('owner')
    .map(o => o.trim())
    .filter(Boolean);
  if (owners.length > 0) {
    filters.owner = owners.length === 1 ? owners[0] : owners;
  }
  for (const key of FILTER_KEYS) {
    if (key === 'owner') continue;
    const value = params.get(key)?.trim();
    if (!value) continue;
    if (key === 'level') {
      if (isLevel(value)) filters.level = value;
    } else {
      filters[key] = value;
    }
  }
  return filters;
}

function readTableState(params: URLSearchParams): TableQueryState {
  const sort = params.get('sort') as SortKey | null;
  const order = params.get('order');
  const page = Number(params.get('page'));
  const pageSize = Number(params.get('pageSize'));
  return {
    q: params.get('q') || undefined,
    sort: sort && SORT_KEYS.includes(sort) ? sort : undefined,
    order: order === 'asc' || order === 'desc' ? order : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 0,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : PAGE_SIZES[0],
  };
}

function setOrDelete(
  params: URLSearchParams,
  key: string,
  value: string | string[] | undefined,
) {
  params.delete(key);
  for (const one of [value ?? []].flat()) {
    if (one) params.append(key, one);
  }
}

/**
 * The state of the org page kept in the URL's query string, so that a
 * filtered, sorted view can be shared as a link.
 */
export function useScorecardSearchParams() {
  const [params, setSearchParams] = useSearchParams();
  // react-router's setter changes with every URL; the callbacks below must not,
  // or every memoised part of the page would re-render on each filter change.
  const setterRef = useRef(setSearchParams);
  setterRef.current = setSearchParams;
  const setParams = useCallback<typeof setSearchParams>(
    (next, options) => setterRef.current(next, options),
    [],
  );
  const filters = useMemo(() => readFilters(params), [params]);
  const tableState = useMemo(() => readTableState(params), [params]);

  const setFilter = useCallback(
    (key: FilterKey, value: string | string[] | undefined) =>
      setParams(previous => {
        const next = new URLSearchParams(previous);
        setOrDelete(next, key, value);
        next.delete('page');
        return next;
      }),
    [setParams],
  );

  const clearFilters = useCallback(
    () =>
      setParams(previous => {
        const next = new URLSearchParams(previous);
        for (const key of FILTER_KEYS) next.delete(key);
        next.delete('page');
        return next;
      }),
    [setParams],
  );

  const setTableState = useCallback(
    (state: TableQueryState) =>
      setParams(
        previous => {
          const next = new URLSearchParams(previous);
          const before = next.toString();
          setOrDelete(next, 'q', state.q);
          setOrDelete(next, 'sort', state.sort);
          setOrDelete(next, 'order', state.sort ? state.order : undefined);
          setOrDelete(
            next,
            'page',
            state.page > 0 ? String(state.page) : undefined,
          );
          setOrDelete(
            next,
            'pageSize',
            state.pageSize !== PAGE_SIZES[0]
              ? String(state.pageSize)
              : undefined,
          );
          // The same URL again would only re-render the page for nothing.
          return next.toString() === before ? previous : next;
        },
        { replace: true },
      ),
    [setParams],
  );

  return {
    filters,
    tableState,
    setFilter,
    clearFilters,
    setTableState,
  };
}
