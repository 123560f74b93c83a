// Run by test/process-footprint.e2e-spec.ts in a fresh `node` with the built server: builds the application
// for the configuration in its environment and prints, as one JSON line, which of the files that matter it loaded.
//   BOOT=start: starts the server for MODULES (every role on this thread with MODULE_THREAD=none), then closes it.
//   BOOT=define: only builds AppModule's module tree, which needs no database to connect to.
require('reflect-metadata');
const { join } = require('node:path');

const dist = join(__dirname, '..', '..', 'dist');
const { loadConfig } = require(join(dist, 'libs/platform/src'));

async function main() {
  const config = loadConfig(process.env);
  if (process.env.BOOT === 'start') {
    const { startServer } = require(join(dist, 'apps/server/src/bootstrap'));
    const app = await startServer(config);
    await app.close();
  } else {
    const { AppModule } = require(join(dist, 'apps/server/src/app.module'));
    AppModule.forRoot(config);
  }
  const loaded = Object.keys(require.cache);
  const packages = [...new Set(loaded.map((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1]).filter(Boolean))];
  const adapters = loaded.filter((file) => file.startsWith(dist) && file.includes('/mongo/')).map((file) => file.slice(dist.length + 1));
  const libs = [...new Set(loaded.map((file) => file.startsWith(dist) && /\/libs\/([^/]+)\//.exec(file)?.[1]).filter(Boolean))];
  const gatewayFiles = loaded.filter((file) => file.startsWith(join(dist, 'libs/gateway/'))).map((file) => file.slice(dist.length + 1));
  process.stdout.write(`${JSON.stringify({ packages, adapters, libs, gatewayFiles })}\n`);
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
