import { keepPreviousData } from '@tanstack/react-query';
import type { List } from '../api-types.js';
import { api } from '../lib/api.js';

/**
 * The options of an infinite query over one of the API's cursor-paged lists: `filters` go
 * in the query string with the page size; the previous pages stay on screen while a new
 * filter loads. Spread into `useInfiniteQuery` and add what differs (refetching).
 */
export function pagedListOptions<T>(
  queryKey: readonly unknown[],
  path: string,
  filters: Record<string, string>,
  pageSize: number,
) {
  return {
    queryKey,
    queryFn: ({ pageParam, signal }: { pageParam: string | undefined; signal: AbortSignal }) =>
      api<List<T>>(
        'GET',
        `${path}?${new URLSearchParams({
          ...filters,
          limit: String(pageSize),
          ...(pageParam ? { cursor: pageParam } : {}),
        })}`,
        undefined,
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: List<T>) => last.next ?? undefined,
    placeholderData: keepPreviousData,
  };
}
