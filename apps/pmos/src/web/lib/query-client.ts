import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './api.js';

// Set by the session module: forgets the signed-in user when any call answers 401.
let onUnauthenticated: () => void = () => {};
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

// Only a lost session, not a refused sign-in (401 `invalid_credentials`).
const sessionLost = (error: unknown) => {
  if (isApiError(error) && error.status === 401 && error.code === 'unauthenticated') {
    onUnauthenticated();
  }
};

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: sessionLost }),
  mutationCache: new MutationCache({ onError: sessionLost }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A 4xx will not get better by asking again — a 429 (rate_limited, too_many_attempts)
      // included: retrying would only spend more of the limit. Network blips and 5xx might.
      retry: (failures, error) => !(isApiError(error) && error.status < 500) && failures < 2,
      refetchOnWindowFocus: true,
    },
  },
});
