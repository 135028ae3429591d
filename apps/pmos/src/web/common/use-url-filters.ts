import { useSearchParams } from 'react-router';

/**
 * A list's filters kept in the address, so a filtered view can be bookmarked and shared:
 * each read with `get`, changed with `set` (empty removes it), all dropped with `clear`.
 * Changes replace the history entry — typing in a filter is not a trail of back steps.
 */
export function useUrlFilters() {
  const [searchParams, setSearchParams] = useSearchParams();
  return {
    get: (key: string) => searchParams.get(key) ?? '',
    set: (key: string, value: string) =>
      setSearchParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(key, value);
          else next.delete(key);
          return next;
        },
        { replace: true },
      ),
    clear: () => setSearchParams(new URLSearchParams(), { replace: true }),
  };
}
