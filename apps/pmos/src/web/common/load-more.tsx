import { Button } from '@pmos/ui';

/** The next page of an infinite list, when there is one. */
export function LoadMore({
  list,
  label = 'Load more',
}: {
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  label?: string;
}) {
  if (!list.hasNextPage) return null;
  return (
    <Button
      variant="secondary"
      loading={list.isFetchingNextPage}
      onClick={() => void list.fetchNextPage()}
    >
      {label}
    </Button>
  );
}
