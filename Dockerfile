# One image for every role; docker-compose.yml picks the role of each container with MODULES.

# --- build: compile native modules, the server and the web app -----------------------------------------------
FROM node:20-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm run build:web
# Only what runs goes to the next stage: production dependencies, already compiled for this platform.
RUN npm prune --omit=dev

# --- runtime ------------------------------------------------------------------------------------------------
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/apps/web/out ./apps/web/out
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
# Ready means: this process's databases, broker and Redis answer (GET /health/ready).
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node itself is PID 1's child under `init: true`; SIGTERM reaches it and drains (graceful-shutdown.ts).
CMD ["node", "dist/apps/server/src/main.js"]
