import type { Handler } from 'hono';
import { buildApiDocument } from './document.js';
import { API_GROUPS } from './registry.js';

/**
 * `GET /api/openapi.json`: public, like most APIs' documents. It describes routes and what they
 * accept, and holds nothing of any account or board. Built on first request, then kept.
 */
export function openApiDocument(publicOrigin: string): Handler {
  let document: object | null = null;
  return (c) => {
    document ??= buildApiDocument(API_GROUPS, { publicOrigin });
    c.header('Cache-Control', 'no-cache');
    return c.json(document);
  };
}
