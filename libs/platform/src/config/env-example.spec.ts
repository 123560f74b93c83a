import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentVariables } from './env.schema';
import { ConfigError, declaredVariables, loadConfig } from './load-config';

/** `.env.example` is the operator's reference: it must name every variable of the schema, with its real default. */
describe('.env.example', () => {
  const lines = readFileSync(join(__dirname, '..', '..', '..', '..', '.env.example'), 'utf8').split('\n');
  const entries = lines
    .map((line, index) => ({ line, index, match: /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line) }))
    .filter((entry) => entry.match)
    .map(({ index, match }) => ({ name: match![1], value: match![2], comment: lines[index - 1] ?? '' }));
  const example = Object.fromEntries(entries.map((entry) => [entry.name, entry.value]));
  const defaults = new EnvironmentVariables() as unknown as Record<string, unknown>;

  it('lists exactly the variables the schema declares, each once', () => {
    expect(entries.map((entry) => entry.name).sort()).toEqual([...declaredVariables()].sort());
  });

  it('shows each default as the schema has it (optional ones empty)', () => {
    for (const name of declaredVariables()) {
      const expected = defaults[name] === undefined ? '' : String(defaults[name]);
      expect({ name, value: example[name] }).toEqual({ name, value: expected });
    }
  });

  it('explains every variable in a comment right above it', () => {
    for (const entry of entries) expect({ name: entry.name, comment: entry.comment.startsWith('# ') }).toEqual({ name: entry.name, comment: true });
  });

  it('is itself a valid configuration that yields the defaults', () => {
    const config = loadConfig(example);
    expect(config.env).toEqual(loadConfig({}).env);
  });

  it('rejects a bad value with one line naming the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ RABBITMQ_URL: 'http://x' })).toThrow(/RABBITMQ_URL/);
  });
});

describe('boolean variables', () => {
  it('read "false" as false and an empty value as unset', () => {
    expect(loadConfig({ SERVE_WEB: 'false' }).env.SERVE_WEB).toBe(false);
    expect(loadConfig({ SERVE_WEB: '1' }).env.SERVE_WEB).toBe(true);
    expect(loadConfig({}).env.SERVE_WEB).toBe(true);
    expect(loadConfig({ LOG_PRETTY: 'false' }).env.LOG_PRETTY).toBe(false);
    expect(loadConfig({ LOG_PRETTY: 'true' }).env.LOG_PRETTY).toBe(true);
    expect(loadConfig({ LOG_PRETTY: '' }).env.LOG_PRETTY).toBeUndefined();
    expect(() => loadConfig({ SERVE_WEB: 'maybe' })).toThrow(/SERVE_WEB/);
  });
});
