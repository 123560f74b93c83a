import { ErrorCodes } from '@chat/contracts';
import { AppConfig, EnvironmentVariables, MemoryKeyValueStore } from '@chat/platform';
import { UserSendLimiter } from './user-send-limiter';

describe('UserSendLimiter', () => {
  let kv: MemoryKeyValueStore;
  afterEach(() => kv.close());

  it('takes USER_SEND_LIMIT sends per user per window, then refuses with COMMON.RATE_LIMITED and when to retry', async () => {
    kv = new MemoryKeyValueStore();
    const limiter = new UserSendLimiter(kv, new AppConfig(Object.assign(new EnvironmentVariables(), { USER_SEND_LIMIT: 3, USER_SEND_WINDOW_SECONDS: 10 })));
    for (let i = 0; i < 3; i++) await limiter.take('ada');
    await expect(limiter.take('ada')).rejects.toMatchObject({ code: ErrorCodes.RATE_LIMITED, details: { retryAfterSeconds: 10 } });
    // Another user has a budget of their own.
    await expect(limiter.take('bob')).resolves.toBeUndefined();
  });
});
