import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { AppConfig } from './app-config';
import { EnvironmentVariables } from './env.schema';

/** Thrown for a bad or missing variable; its message is the one line the boot prints before exiting. */
export class ConfigError extends Error {}

/**
 * Every variable the schema declares: each property with a validation decorator, defaulted or optional.
 * Read from class-validator's metadata so a new optional variable cannot be forgotten in a hand-kept list.
 */
export function declaredVariables(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

/** Reads the environment once, validated; the boot stops on the first bad value with one line naming it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of declaredVariables()) {
    const value = env[key];
    if (value !== undefined) raw[key] = value;
  }
  const parsed = plainToInstance(EnvironmentVariables, raw, { enableImplicitConversion: true, exposeDefaultValues: true });
  const [error] = validateSync(parsed, { forbidUnknownValues: false });
  if (error) {
    const constraints = error.constraints ?? {};
    // A type problem explains more than a range problem on the same NaN.
    const preferred = ['isInt', 'isBoolean', 'isIn', 'matches'].find((name) => constraints[name]);
    const constraint = (preferred ? constraints[preferred] : Object.values(constraints)[0]) ?? `${error.property} is invalid`;
    const shown = raw[error.property] === undefined ? '' : ` (got ${JSON.stringify(raw[error.property])})`;
    throw new ConfigError(`Invalid configuration: ${constraint}${shown}`);
  }
  return new AppConfig(parsed);
}
