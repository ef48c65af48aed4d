/**
 * The start every adapter shares: its base URL (without a trailing slash), its priced model table,
 * its HTTP client, and the adapter members that are the same for every service (model list,
 * validation, download, error mapping). Kept in one place so a provider file holds only what its
 * service does differently, and a fix to the common part reaches all of them.
 */
import type { PriceTable } from '../../../shared/generation/prices.js';
import type { ModelSpec } from '../../../shared/generation/types.js';
import { downloadVideo, modelTable, validateFor, type ModelTable } from './common.js';
import { createHttp, type ErrorMapper, type HttpClient } from './http.js';
import type { ProviderAdapter, ProviderDeps } from './provider.js';

export interface AdapterBaseOptions<S extends ModelSpec> {
  provider: string;
  /** The configured base URL (`*_BASE_URL`), or undefined for `defaultBaseUrl`. */
  baseUrl: string | undefined;
  defaultBaseUrl: string;
  models: readonly S[];
  prices: PriceTable;
  /** Auth and version headers, built per request. */
  headers: () => Record<string, string>;
  /** Everything that must never leave the adapter. */
  secrets: () => readonly (string | undefined)[];
  /** How the service's error bodies read; given the clock for Retry-After dates. */
  mapFailure: (now: () => number) => ErrorMapper;
  deps: ProviderDeps;
}

export interface AdapterBase<S extends ModelSpec> {
  baseUrl: string;
  table: ModelTable<S>;
  http: HttpClient;
  now: () => number;
  /** Spread into the adapter; an adapter overrides a member only where its service differs (Veo's download). */
  members: Pick<ProviderAdapter, 'models' | 'validate' | 'download' | 'mapError'>;
}

export function adapterBase<S extends ModelSpec>(o: AdapterBaseOptions<S>): AdapterBase<S> {
  const baseUrl = (o.baseUrl ?? o.defaultBaseUrl).replace(/\/+$/, '');
  const table = modelTable(o.provider, o.models, o.prices);
  const now = o.deps.now ?? Date.now;
  const http = createHttp({
    provider: o.provider,
    baseUrl,
    headers: o.headers,
    secrets: o.secrets,
    mapFailure: o.mapFailure(now),
    deps: o.deps,
  });
  return {
    baseUrl,
    table,
    http,
    now,
    members: {
      models: () => table.list,
      validate: (req) => validateFor(table, req),
      download: (url, ctx) => downloadVideo(http, url, ctx),
      mapError: http.mapError,
    },
  };
}

/**
 * `value`, or a transient error saying what the answer lacked (an id after submit, a known status
 * after poll): a provider answer missing what it documents is a glitch worth retrying, not a bad request.
 */
export function required<T>(http: HttpClient, value: T | undefined, providerMessage: string): T {
  if (value === undefined || value === '') throw http.error({ kind: 'transient', providerMessage });
  return value;
}
