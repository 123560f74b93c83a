/**
 * Malformed requests from an OpenAPI document, reproducible from a seed: for each operation, requests whose
 * path parameters, query, body and credentials are each sometimes right and sometimes wrong in one of the ways
 * a careless or hostile client gets them wrong (wrong types, huge or empty strings, lone UTF-16 surrogates,
 * deep nesting, missing and extra fields, bad JSON, wrong content types, bad percent-encoding).
 */

/** mulberry32: small, fast and fully determined by its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface OpenApiOperation {
  method: string;
  /** As written in the document, e.g. `/api/v1/chats/{id}/messages`. */
  path: string;
  parameters: { name: string; in: string; required?: boolean; schema?: Schema }[];
  /** The JSON (or multipart) body's schema, resolved; null when the operation takes no body. */
  body: { contentType: string; schema: Schema } | null;
}

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
  example?: unknown;
  format?: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: OpenApiOperation['parameters']; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Every operation of the document, with $refs resolved (one level at a time, cycles cut). */
export function operationsOf(document: OpenApiDocument): OpenApiOperation[] {
  const resolve = (schema: Schema | undefined, seen = new Set<string>()): Schema => {
    if (!schema) return {};
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop()!;
      if (seen.has(name)) return {};
      return resolve(document.components?.schemas?.[name], new Set([...seen, name]));
    }
    if (schema.allOf?.length) return resolve(schema.allOf[0], seen);
    return {
      ...schema,
      properties: schema.properties ? Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, seen)])) : undefined,
      items: schema.items ? resolve(schema.items, seen) : undefined,
    };
  };
  const operations: OpenApiOperation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const [contentType, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (operation.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) })),
        body: contentType ? { contentType, schema: resolve(media.schema) } : null,
      });
    }
  }
  return operations;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Values of a known identity, so some requests get past "not found" into the code behind it. */
export interface FuzzContext {
  ids: string[];
  /** A fresh, valid Bearer token (its own session, so a logout in one request does not end the others). */
  token: () => string;
}

const LONE_SURROGATES = ['\ud800', 'a\udfffb', '\udbff', 'x\ud83d'];
const TEXT = ['', ' ', 'a', '0', '-1', 'null', 'true', '{}', '[]', '%', '../../etc/passwd', '\u0000', '👋🏽', "' OR 1=1 --", '<script>x</script>', 'ada@example.com', 'é'.repeat(300)];
/** Raw (already encoded) path and query pieces that no encoder would produce. */
const RAW_URL_PIECES = ['%', '%zz', '%ED%A0%80', '%D8%00', '%C0%AF', '%00', '..%2F..', 'a%2Fb', '%FF%FE', '%E0%80'];

/** Nested `[` or `{`, as JSON text: built as text because building it as an object and stringifying it recurses. */
export function deeplyNestedJson(levels: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array' ? '['.repeat(levels) + ']'.repeat(levels) : '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

export class RequestFuzzer {
  constructor(
    private readonly random: () => number,
    private readonly context: FuzzContext,
  ) {}

  private int(below: number): number {
    return Math.floor(this.random() * below);
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A wrong value of any JSON type. */
  private nasty(): unknown {
    switch (this.int(12)) {
      case 0: return this.pick(TEXT);
      case 1: return this.pick(LONE_SURROGATES);
      case 2: return 'x'.repeat(this.pick([256, 5000, 70_000]));
      case 3: return this.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 65536]);
      case 4: return this.pick([true, false, null]);
      case 5: return [];
      case 6: return {};
      case 7: return [this.pick(TEXT), this.pick(LONE_SURROGATES), 1];
      case 8: return { [this.pick(['__proto__', 'constructor', 'toString', 'a'])]: this.pick(TEXT) };
      case 9: return JSON.parse(deeplyNestedJson(this.pick([10, 40, 200])));
      case 10: return this.pick(this.context.ids);
      default: return { nested: { deeper: [this.pick(LONE_SURROGATES)] } };
    }
  }

  /** A value that fits the schema (often enough to get past validation), or a nasty one. */
  private valueFor(schema: Schema | undefined, depth = 0): unknown {
    if (!schema || depth > 4 || this.chance(0.25)) return this.nasty();
    if (schema.enum?.length) return this.pick(schema.enum);
    if (schema.example !== undefined && this.chance(0.5)) return schema.example;
    switch (schema.type) {
      case 'string': return this.chance(0.5) ? this.pick(this.context.ids) : this.pick([...TEXT, ...LONE_SURROGATES]);
      case 'integer': case 'number': return this.pick([0, 1, 20, 100, -5, 1e9]);
      case 'boolean': return this.chance(0.5);
      case 'array': return Array.from({ length: this.int(4) }, () => this.valueFor(schema.items, depth + 1));
      default: return this.objectFor(schema, depth + 1);
    }
  }

  private objectFor(schema: Schema, depth: number): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const required = schema.required?.includes(name);
      if (this.chance(required ? 0.1 : 0.4)) continue; // missing field
      object[name] = this.valueFor(property, depth);
    }
    if (this.chance(0.15)) object[this.pick(['senderId', 'extra', 'id', '__proto__', 'userId'])] = this.nasty(); // extra field
    return object;
  }

  private pathParam(): string {
    switch (this.int(6)) {
      case 0: case 1: return encodeURIComponent(this.pick(this.context.ids));
      case 2: return this.pick(RAW_URL_PIECES);
      case 3: return encodeURIComponent(this.pick(TEXT)) || 'x';
      case 4: return 'x'.repeat(this.pick([65, 300, 5000]));
      default: return encodeURIComponent(this.pick(['00000000-0000-0000-0000-000000000000', 'aGVsbG8', '-', '1e3']));
    }
  }

  private queryString(operation: OpenApiOperation): string {
    const pairs: string[] = [];
    const encode = (value: unknown) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
      try {
        return encodeURIComponent(text);
      } catch {
        return this.pick(RAW_URL_PIECES); // a lone surrogate cannot be percent-encoded as UTF-8
      }
    };
    for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
      if (this.chance(parameter.required ? 0.1 : 0.4)) continue;
      switch (this.int(5)) {
        case 0: pairs.push(`${parameter.name}=${this.pick(RAW_URL_PIECES)}`); break;
        case 1: pairs.push(`${parameter.name}=${encode(this.nasty())}`, `${parameter.name}=${encode(this.nasty())}`); break; // repeated
        case 2: pairs.push(`${parameter.name}${'[a]'.repeat(this.pick([1, 6, 40]))}=1`); break; // bracket nesting
        default: pairs.push(`${parameter.name}=${encode(this.valueFor(parameter.schema))}`);
      }
    }
    if (this.chance(0.1)) pairs.push(`${this.pick(['extra', 'userId', '__proto__[x]', 'constructor[prototype][x]'])}=1`);
    return pairs.length ? `?${pairs.join('&')}` : '';
  }

  private credentials(): Record<string, string> {
    switch (this.int(10)) {
      case 0: case 1: return {};
      case 2: return { authorization: this.pick(['Bearer ', 'Bearer x.y.z', 'Basic abc', `Bearer ${'a'.repeat(5000)}`, 'Bearer \u00ff']) };
      case 3: return { cookie: `access=${this.context.token()}`, 'x-requested-with': 'relay' };
      case 4: return { cookie: this.pick(['access=%', 'refresh=x; access=', '__Host-access=\u00e9']), 'x-requested-with': 'relay' };
      default: return { authorization: `Bearer ${this.context.token()}` };
    }
  }

  private body(operation: OpenApiOperation): { body?: string | Uint8Array; contentType?: string } {
    const roll = this.int(20);
    if (roll === 0) return { body: deeplyNestedJson(3000, this.chance(0.5) ? 'array' : 'object'), contentType: 'application/json' };
    if (roll === 1) return { body: this.pick(['{"a":', '{"email":"a@b.c",}', '\u0000', 'nul', '"\\ud800"', '{"email":"\\udc00@x.io"}']), contentType: 'application/json' };
    if (roll === 2) return { body: `a${'[b]'.repeat(40)}=1&email=%ED%A0%80`, contentType: 'application/x-www-form-urlencoded' };
    if (roll === 3) return { body: 'hello', contentType: this.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) };
    if (roll === 4) return {};
    if (operation.body?.contentType.startsWith('multipart/')) {
      const boundary = 'fuzzboundary';
      const file = Buffer.from(Array.from({ length: this.int(2000) }, () => this.int(256)));
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="${this.pick(['file', 'image', 'x'])}"; filename="${this.pick(['a.png', '../x.svg', 'é.jpg'])}"\r\nContent-Type: ${this.pick(['image/png', 'image/svg+xml', 'text/html'])}\r\n\r\n`;
      return { body: Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
    }
    const value = operation.body && this.chance(0.8) ? this.valueFor(operation.body.schema) : this.nasty();
    return { body: JSON.stringify(value) ?? 'null', contentType: 'application/json' };
  }

  next(operation: OpenApiOperation): FuzzRequest {
    const path = operation.path.replace(/\{[^}]+\}/g, () => this.pathParam()) + this.queryString(operation);
    // fetch sends no body with GET (nor would a browser); every other method gets one, right or wrong.
    const { body, contentType } = operation.method === 'GET' ? {} : this.body(operation);
    const headers: Record<string, string> = { ...this.credentials(), ...(contentType ? { 'content-type': contentType } : {}) };
    return { method: operation.method, path, headers, body };
  }
}

/** One line that reproduces a request (bodies cut to a readable length). */
export function describeRequest(request: FuzzRequest): string {
  const body = request.body === undefined ? '' : typeof request.body === 'string' ? request.body : `<${request.body.length} bytes>`;
  const headers = Object.entries(request.headers).map(([k, v]) => `${k}: ${v.length > 60 ? `${v.slice(0, 60)}…` : v}`);
  return `${request.method} ${request.path.slice(0, 300)} [${headers.join('; ')}] ${JSON.stringify(body.slice(0, 300))}${body.length > 300 ? `… (${body.length} chars)` : ''}`;
}
