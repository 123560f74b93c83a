export type Json = any;

export interface ApiReply {
  status: number;
  body: Json;
}

/** REST calls to a gateway as one user or another (Bearer token), for suites about something other than sign-in. */
export interface UserApi {
  /** Any answer, with its status. */
  call(userId: string, method: string, path: string, body?: unknown): Promise<ApiReply>;
  /** The body of a 2xx answer; anything else throws with the answer in the message. */
  ok(userId: string, method: string, path: string, body?: unknown): Promise<Json>;
}

/** `baseUrl` is read at each call (a cluster's URL exists only once it has started). */
export function userApi(baseUrl: () => string, tokenOf: (userId: string) => string, timeoutMs = 10_000): UserApi {
  const call = async (userId: string, method: string, path: string, body?: unknown): Promise<ApiReply> => {
    const response = await fetch(`${baseUrl()}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(userId)}` },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: response.status === 204 ? null : await response.json() };
  };
  const ok = async (userId: string, method: string, path: string, body?: unknown): Promise<Json> => {
    const reply = await call(userId, method, path, body);
    if (reply.status >= 300) throw new Error(`${method} ${path} → ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  return { call, ok };
}
