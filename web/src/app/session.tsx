/** The signed-in admin and company for every page; the sign-in form when there is no session. */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { ApiRequestError, setUnauthorizedHandler } from '../api/client.js';
import { queryKeys, useSession } from '../api/queries.js';
import type { SessionResponse } from '../api/types.js';
import { ErrorState, LoadingState } from '../components/states.js';
import { SignInPage } from '../pages/sign-in.js';

const SessionContext = createContext<SessionResponse | null>(null);

/** The current session; only called below `SessionGate`. */
export function useCurrentSession(): SessionResponse {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useCurrentSession outside SessionGate');
  return session;
}

/** Whether the signed-in admin may change things (viewers may only look). */
export const useCanWrite = (): boolean => useCurrentSession().admin.role === 'admin';

export function SessionGate({ children }: { children: ReactNode }): ReactNode {
  const queryClient = useQueryClient();
  const session = useSession();
  useEffect(() => {
    // Any 401 means the session ended (expired, signed out elsewhere): ask again who is there.
    setUnauthorizedHandler(() => void queryClient.invalidateQueries({ queryKey: queryKeys.session }));
  }, [queryClient]);
  if (session.isPending) return <LoadingState label="Checking your session…" />;
  if (session.isError) {
    if (session.error instanceof ApiRequestError && session.error.status === 401) return <SignInPage />;
    return (
      <ErrorState
        title="rostersync is not reachable"
        error={session.error}
        onRetry={() => void session.refetch()}
      />
    );
  }
  return <SessionContext.Provider value={session.data}>{children}</SessionContext.Provider>;
}
