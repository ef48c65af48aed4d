import { createContext, onCleanup, useContext, type JSX } from 'solid-js';
import { createApiClient, type ApiClient } from './api-client';

const ApiContext = createContext<ApiClient>();

/** Provides one API client to the tree (tests may pass their own). */
export function ApiProvider(props: { client?: ApiClient; children: JSX.Element }) {
  const client = props.client ?? createApiClient();
  onCleanup(() => client.dispose());
  return <ApiContext.Provider value={client}>{props.children}</ApiContext.Provider>;
}

/** The API client of the nearest ApiProvider. */
export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi() needs an <ApiProvider>');
  return client;
}
