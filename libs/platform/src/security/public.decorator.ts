import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'chat:public';

/** Opts a route out of the global access-token guard (sign-in, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
