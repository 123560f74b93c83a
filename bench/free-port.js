/** A TCP port free on 127.0.0.1 right now, for a server a benchmark starts. */
const net = require('node:net');

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

module.exports = { freePort };
