/**
 * The essentials of a valid OpenAPI 3.1 document, checked by hand (no validator package is
 * installed): the fields the specification requires, path templating matched by path parameters,
 * unique operation ids, security requirements naming declared schemes, every `$ref` resolving
 * inside the document, and every schema readable as JSON Schema. Returns the problems found.
 */
import { z } from 'zod';

type Json = Record<string, any>;

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const PATH_ITEM_KEYS = new Set([...METHODS, '$ref', 'summary', 'description', 'servers', 'parameters']);
const PARAM_IN = new Set(['query', 'header', 'path', 'cookie']);
const STATUS = /^([1-5]\d\d|[1-5]XX|default)$/;
const MEDIA_TYPE = /^[a-z*]+\/[a-z0-9*.+-]+$/i;
const SCHEME_TYPES = new Set(['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect']);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves a local JSON pointer (`#/components/schemas/X`). */
function resolves(doc: Json, ref: string): boolean {
  if (!ref.startsWith('#/')) return false;
  let at: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(at) || !(key in at)) return false;
    at = at[key];
  }
  return true;
}

function walk(value: unknown, visit: (node: Json, where: string) => void, where = '#'): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${where}/${i}`));
  else if (isObject(value)) {
    visit(value, where);
    for (const [k, v] of Object.entries(value)) walk(v, visit, `${where}/${k}`);
  }
}

function checkSchema(schema: unknown, where: string, problems: string[]) {
  if (!isObject(schema) && typeof schema !== 'boolean') return void problems.push(`${where}: a schema must be an object or a boolean`);
  if (isObject(schema) && '$ref' in schema) return;
  try {
    z.fromJSONSchema(schema as never);
  } catch (err) {
    problems.push(`${where}: not a readable JSON Schema (${(err as Error).message})`);
  }
}

function checkContent(content: unknown, where: string, problems: string[]) {
  if (!isObject(content)) return void problems.push(`${where}: content must be an object`);
  for (const [type, media] of Object.entries(content)) {
    if (!MEDIA_TYPE.test(type)) problems.push(`${where}: "${type}" is not a media type`);
    if (!isObject(media)) problems.push(`${where}/${type}: a media type object is required`);
    else if ('schema' in media) checkSchema(media.schema, `${where}/${type}/schema`, problems);
  }
}

export function openApiProblems(doc: Json): string[] {
  const problems: string[] = [];
  if (typeof doc.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi)) problems.push(`openapi: "${doc.openapi}" is not 3.1.x`);
  if (!isObject(doc.info) || typeof doc.info.title !== 'string' || typeof doc.info.version !== 'string') problems.push('info: title and version (strings) are required');
  if (!isObject(doc.paths)) return [...problems, 'paths: an object is required'];
  const schemes = isObject(doc.components?.securitySchemes) ? doc.components.securitySchemes : {};
  for (const [name, scheme] of Object.entries<Json>(schemes)) {
    if (!SCHEME_TYPES.has(scheme.type)) problems.push(`securitySchemes.${name}: type "${scheme.type}" is not one of ${[...SCHEME_TYPES].join(', ')}`);
    if (scheme.type === 'apiKey' && (typeof scheme.name !== 'string' || !['query', 'header', 'cookie'].includes(scheme.in))) problems.push(`securitySchemes.${name}: apiKey needs name and in (query, header or cookie)`);
    if (scheme.type === 'http' && typeof scheme.scheme !== 'string') problems.push(`securitySchemes.${name}: http needs scheme`);
  }
  const tags = new Set(Array.isArray(doc.tags) ? doc.tags.map((t: Json) => t.name) : []);
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    if (!path.startsWith('/')) problems.push(`${path}: a path must start with /`);
    if (path.includes(':')) problems.push(`${path}: parameters are written {name} in OpenAPI, not :name`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    if (new Set(templated).size !== templated.length) problems.push(`${path}: a path parameter appears twice`);
    for (const key of Object.keys(item)) if (!PATH_ITEM_KEYS.has(key)) problems.push(`${path}: "${key}" is not a path item field`);
    for (const [method, op] of Object.entries<Json>(item)) {
      if (!METHODS.has(method)) continue;
      const at = `${method.toUpperCase()} ${path}`;
      if (typeof op.operationId === 'string') {
        if (operationIds.has(op.operationId)) problems.push(`${at}: operationId ${op.operationId} is used twice`);
        operationIds.add(op.operationId);
      }
      for (const tag of op.tags ?? []) if (!tags.has(tag)) problems.push(`${at}: tag "${tag}" is not listed in tags`);
      const params: Json[] = op.parameters ?? [];
      const seen = new Set<string>();
      for (const p of params) {
        if (typeof p.name !== 'string' || !PARAM_IN.has(p.in)) problems.push(`${at}: a parameter needs a name and in (query, header, path or cookie)`);
        if (seen.has(`${p.in} ${p.name}`)) problems.push(`${at}: parameter ${p.in} ${p.name} is listed twice`);
        seen.add(`${p.in} ${p.name}`);
        if (p.in === 'path' && p.required !== true) problems.push(`${at}: path parameter ${p.name} must be required`);
        if (('schema' in p) === ('content' in p)) problems.push(`${at}: parameter ${p.name} needs exactly one of schema or content`);
        if ('schema' in p) checkSchema(p.schema, `${at} parameter ${p.name}`, problems);
      }
      const inPath = params.filter((p) => p.in === 'path').map((p) => p.name as string);
      for (const name of templated) if (!inPath.includes(name)) problems.push(`${at}: path parameter {${name}} is not described`);
      for (const name of inPath) if (!templated.includes(name)) problems.push(`${at}: path parameter ${name} is not in the path`);
      if (op.requestBody !== undefined) {
        if (!isObject(op.requestBody) || !isObject(op.requestBody.content) || Object.keys(op.requestBody.content).length === 0) problems.push(`${at}: requestBody needs content`);
        else checkContent(op.requestBody.content, `${at} requestBody`, problems);
      }
      if (!isObject(op.responses) || Object.keys(op.responses).length === 0) {
        problems.push(`${at}: responses are required`);
        continue;
      }
      for (const [status, res] of Object.entries<Json>(op.responses)) {
        if (!STATUS.test(status)) problems.push(`${at}: "${status}" is not a status code`);
        if (typeof res.description !== 'string') problems.push(`${at} ${status}: description is required`);
        if ('content' in res) checkContent(res.content, `${at} ${status}`, problems);
      }
      if (op.security !== undefined) {
        if (!Array.isArray(op.security)) problems.push(`${at}: security must be a list`);
        else for (const requirement of op.security) for (const name of Object.keys(requirement)) if (!(name in schemes)) problems.push(`${at}: security scheme ${name} is not declared`);
      }
    }
  }
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) checkSchema(schema, `components.schemas.${name}`, problems);
  walk(doc, (node, where) => {
    if (typeof node.$ref === 'string' && !resolves(doc, node.$ref)) problems.push(`${where}: $ref ${node.$ref} does not resolve`);
  });
  return problems;
}
