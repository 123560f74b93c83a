import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy } from 'class-validator';
import { isAddressList } from '../metrics/address-allow-list';
import { isProxyList } from './proxy-list';

const ROLE_LIST = /^(all|(gateway|auth|users|chats|messages|mail)(,(gateway|auth|users|chats|messages|mail))*)$/;
// Roles that share nothing with the gateway's thread but the transport (auth and mail keep state in the key-value
// store, which without REDIS_URL is one thread's memory).
const THREAD_ROLE_LIST = /^(none|(users|chats|messages)(,(users|chats|messages))*)$/;
// Reads the raw string (`obj[key]`): implicit conversion has already turned "false" into `true` in `value`.
const toBool = ({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
  const raw = obj[key];
  if (raw === undefined || raw === '') return undefined;
  return raw === true || raw === 'true' || raw === '1' ? true : raw === false || raw === 'false' || raw === '0' ? false : raw;
};
const IsAddressList = () =>
  ValidateBy({
    name: 'isAddressList',
    validator: { validate: isAddressList, defaultMessage: (args) => `${args?.property ?? 'The value'} must be a comma-separated list of IP addresses and CIDR ranges (e.g. 127.0.0.0/8,::1)` },
  });
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every environment variable the server reads, with its default. `.env.example` lists the same names;
 * a test keeps the two in step.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  /** Comma-separated roles this process runs, or `all`. */
  @Matches(ROLE_LIST, { message: 'MODULES must be "all" or a comma-separated list of gateway,auth,users,chats,messages,mail' })
  MODULES: string = 'all';

  /**
   * In a process that runs every role over the in-process transport, the roles that run on a second thread of the
   * same process (a worker thread), comma-separated, or `none`. By default Messages and Chats: their SQLite writes
   * and handlers then use the machine's second core, and a commit never holds up the sockets.
   */
  @Matches(THREAD_ROLE_LIST, { message: 'MODULE_THREAD must be "none" or a comma-separated list of users,chats,messages' })
  MODULE_THREAD: string = 'messages,chats';

  /**
   * Other origins allowed for CORS and for WebSocket handshakes, comma-separated. The server's own origin (the
   * page it served, whatever the port) is always allowed and needs no entry.
   */
  @IsString()
  CORS_ORIGINS: string = '';

  @IsString() @MinLength(1)
  DATA_DIR: string = './data';

  @IsOptional() @Transform(emptyToUndefined) @Matches(/^amqps?:\/\//, { message: 'RABBITMQ_URL must be an amqp:// or amqps:// URL' })
  RABBITMQ_URL?: string;

  /** Prefix of every queue, exchange and Redis key, so several deployments (or test runs) can share one broker and one Redis. */
  @Matches(/^[a-z0-9][a-z0-9_-]*$/, { message: 'NAMESPACE must be lower-case letters, digits, "-" or "_"' })
  NAMESPACE: string = 'chat';

  @IsInt() @Min(1) @Max(10000)
  RABBITMQ_PREFETCH: number = 32;

  /** Deliveries of one event before it is dead-lettered. */
  @IsInt() @Min(1) @Max(100)
  RABBITMQ_MAX_DELIVERIES: number = 5;

  /**
   * One process only: check that every payload crossing a module boundary is plain JSON, as it must be to cross
   * RabbitMQ unchanged. Off by default (the in-process transport hands objects over without copying them); the
   * one-process end-to-end runs turn it on.
   */
  @Transform(toBool) @IsBoolean()
  TRANSPORT_ASSERT_JSON: boolean = false;

  @IsInt() @Min(100) @Max(120000)
  RPC_TIMEOUT_MS: number = 5000;

  @IsOptional() @Transform(emptyToUndefined) @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Bound on every Redis command (queued while reconnecting included); then COMMON.DEPENDENCY_UNAVAILABLE (503). */
  @IsInt() @Min(50) @Max(2500)
  REDIS_COMMAND_TIMEOUT_MS: number = 1000;

  /**
   * How long a gateway's presence outlives its last heartbeat (it beats every third of this). A gateway that dies
   * without disconnecting its sockets has its users offline after at most 4/3 of it, so at most 40 s by default.
   */
  @IsInt() @Min(1000) @Max(45000)
  PRESENCE_TTL_MS: number = 30000;

  @IsOptional() @Transform(emptyToUndefined) @Matches(/^mongodb(\+srv)?:\/\//, { message: 'MONGODB_URI must be a mongodb:// URL' })
  MONGODB_URI?: string;

  /** HS256 secret, at least 32 bytes. Empty: generated once and kept in DATA_DIR/jwt-secret. */
  @IsOptional() @Transform(emptyToUndefined) @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters (256 bits)' })
  JWT_SECRET?: string;

  @IsInt() @Min(60) @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS: number = 900;

  @IsInt() @Min(3600) @Max(90 * 86400)
  REFRESH_TOKEN_TTL_SECONDS: number = 15 * 86400;

  @IsInt() @Min(60) @Max(600)
  OTP_TTL_SECONDS: number = 600;

  /** Seconds before a new code can be sent to the same email. */
  @IsInt() @Min(1) @Max(600)
  OTP_RESEND_COOLDOWN_SECONDS: number = 60;

  /** Requests per minute one IP may make to each sign-in route (code, verify, refresh), counted across gateways. */
  @IsInt() @Min(1) @Max(100000)
  AUTH_RATE_LIMIT_PER_MINUTE: number = 20;

  /**
   * Proxies whose X-Forwarded-For / X-Forwarded-Proto / X-Forwarded-Host are believed, comma-separated: addresses,
   * CIDR ranges, or Express's names `loopback`, `linklocal`, `uniquelocal`. Empty: none, the client address is the
   * TCP peer's. Per-IP limits and the session list use the address this yields.
   */
  @ValidateBy({ name: 'isProxyList', validator: { validate: isProxyList, defaultMessage: () => 'TRUSTED_PROXIES must be a comma-separated list of IP addresses, CIDR ranges or loopback/linklocal/uniquelocal' } })
  TRUSTED_PROXIES: string = '';

  /** `auto`: Secure cookies unless the request came over plain HTTP to localhost. */
  @IsIn(['auto', 'true', 'false'])
  COOKIE_SECURE: 'auto' | 'true' | 'false' = 'auto';

  /**
   * Who can find whom. `private`: a stranger is found only by their exact email; a name finds only people who
   * share a chat with you. `open`: anyone can be found by name. Other users' emails are never shown either way.
   */
  @IsIn(['private', 'open'])
  USER_DIRECTORY: 'private' | 'open' = 'private';

  /** smtp://user:pass@host:port. Empty: mail is captured (server log and the loopback-only mailbox page). */
  @IsOptional() @Transform(emptyToUndefined) @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM: string = 'Relay Chat <no-reply@localhost>';

  /** cloudinary://key:secret@cloud. Empty: images are kept on local disk under DATA_DIR/media. */
  @IsOptional() @Transform(emptyToUndefined) @Matches(/^cloudinary:\/\//, { message: 'CLOUDINARY_URL must be a cloudinary:// URL' })
  CLOUDINARY_URL?: string;

  /** Base URL of the Cloudinary API; set only to point the SDK at a stand-in. */
  @IsOptional() @Transform(emptyToUndefined) @IsString()
  CLOUDINARY_API_URL?: string;

  /**
   * Web Push (VAPID, RFC 8292) key pair of the gateways, base64url as `web-push generate-vapid-keys` prints it. Empty:
   * generated once and kept in DATA_DIR/vapid-keys.json. Several gateways must share one pair.
   */
  @IsOptional() @Transform(emptyToUndefined) @Matches(/^[A-Za-z0-9_-]{80,100}$/, { message: 'WEB_PUSH_VAPID_PUBLIC_KEY must be a base64url P-256 public key' })
  WEB_PUSH_VAPID_PUBLIC_KEY?: string;

  @IsOptional() @Transform(emptyToUndefined) @Matches(/^[A-Za-z0-9_-]{40,50}$/, { message: 'WEB_PUSH_VAPID_PRIVATE_KEY must be a base64url P-256 private key' })
  WEB_PUSH_VAPID_PRIVATE_KEY?: string;

  /** Who push services contact about this server's pushes: a mailto: or https: URL. */
  @Matches(/^(mailto:|https:\/\/)\S+$/, { message: 'WEB_PUSH_SUBJECT must be a mailto: or https: URL' })
  WEB_PUSH_SUBJECT: string = 'mailto:admin@localhost';

  /**
   * Hosts (and their subdomains) a device's push subscription may point at, comma-separated: the server POSTs to
   * that URL, so nothing else is accepted. https only.
   */
  @Matches(/^[A-Za-z0-9.:[\]-]+(,[A-Za-z0-9.:[\]-]+)*$/, { message: 'WEB_PUSH_ENDPOINT_HOSTS must be a comma-separated list of host names' })
  WEB_PUSH_ENDPOINT_HOSTS: string = 'fcm.googleapis.com,push.services.mozilla.com,web.push.apple.com,notify.windows.com';

  /** Largest image upload, bytes (images are decoded, so they get their own, smaller limit). */
  @IsInt() @Min(1024) @Max(100 * 1024 * 1024)
  UPLOAD_MAX_BYTES: number = 10 * 1024 * 1024;

  /** Largest file or voice message upload, bytes (held in memory while it is stored, hence the cap). */
  @IsInt() @Min(1024) @Max(200 * 1024 * 1024)
  FILE_UPLOAD_MAX_BYTES: number = 25 * 1024 * 1024;

  /** Uploads (images, files, voice) not attached to a message within this many seconds are deleted. */
  @IsInt() @Min(1) @Max(30 * 24 * 60 * 60)
  UPLOAD_ORPHAN_TTL_SECONDS: number = 24 * 60 * 60;

  @IsInt() @Min(1) @Max(400_000_000)
  UPLOAD_MAX_PIXELS: number = 50_000_000;

  /**
   * Client addresses (IPs and CIDR ranges, comma-separated) that may read GET /metrics, judged by the TCP peer,
   * never by X-Forwarded-For. Others get 404. Empty: nobody.
   */
  @IsAddressList()
  METRICS_ALLOW: string = '127.0.0.0/8,::1';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @IsOptional() @Transform(toBool) @IsBoolean()
  LOG_PRETTY?: boolean;

  /** Serve the built web app (apps/web/out) from the gateway. */
  @Transform(toBool) @IsBoolean()
  SERVE_WEB: boolean = true;

  /** Milliseconds a draining process waits for in-flight work on SIGTERM. */
  @IsInt() @Min(0) @Max(120000)
  SHUTDOWN_GRACE_MS: number = 10000;

  /** Per-socket token bucket for `message:send`: sustained sends per second and the burst allowed. */
  @IsInt() @Min(1) @Max(100000)
  WS_SEND_PER_SECOND: number = 10;

  @IsInt() @Min(1) @Max(100000)
  WS_SEND_BURST: number = 30;

  /**
   * Messages one user may send per USER_SEND_WINDOW_SECONDS, over every socket and REST together, counted in the
   * shared store (so across gateways); past that: COMMON.RATE_LIMITED (429 over HTTP).
   */
  @IsInt() @Min(1) @Max(1_000_000)
  USER_SEND_LIMIT: number = 100;

  @IsInt() @Min(1) @Max(3600)
  USER_SEND_WINDOW_SECONDS: number = 10;

  /**
   * Sends one gateway process always takes in flight (socket and REST together). Past this many, it takes more only
   * while they would finish within SEND_QUEUE_MS; a send beyond that is refused at once with COMMON.OVERLOADED
   * rather than queued behind work that cannot finish in time.
   */
  @IsInt() @Min(1) @Max(100000)
  MAX_PENDING_SENDS: number = 256;

  /**
   * How long the sends in flight may take to finish, at the rate this gateway has finished sends over its last second
   * of busy time (idle time does not count), before a send past MAX_PENDING_SENDS is refused (0: MAX_PENDING_SENDS
   * alone decides).
   */
  @IsInt() @Min(0) @Max(60000)
  SEND_QUEUE_MS: number = 100;

  /**
   * How long Socket.IO keeps a dropped socket's missed packets for connection state recovery (0: off). One gateway
   * keeps at most 128 MB of them (CompactRecoveryAdapter); with Redis, the Streams adapter keeps them.
   */
  @IsInt() @Min(0) @Max(600000)
  WS_RECOVERY_MS: number = 120000;
}
