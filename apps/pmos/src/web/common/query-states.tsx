import { Alert } from '@pmos/ui';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { errorMessage } from '../lib/api.js';

/**
 * The usual render of one query: a loading line while it is pending, a danger alert when it
 * failed, `empty` when `isEmpty` says the data holds nothing, and otherwise `children(data)`.
 */
export function QueryStates<TData>({
  query,
  loading,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<TData>;
  /** The text of the loading line, e.g. "Loading tokens…". */
  loading: string;
  isEmpty?: (data: TData) => boolean;
  empty?: ReactNode;
  children: (data: TData) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <p className="muted" role="status">
        {loading}
      </p>
    );
  }
  if (query.isError) {
    return <Alert tone="danger">{errorMessage(query.error)}</Alert>;
  }
  if (isEmpty?.(query.data)) {
    return empty;
  }
  return children(query.data);
}
