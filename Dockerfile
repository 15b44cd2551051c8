# syntax=docker/dockerfile:1.7
# Multi-stage build: compile TypeScript and prebuild the workflow bundle with dev dependencies, ship only the
# production ones. The emulators (emulators/), the dev run and its embedded services (dev/), tests and benchmarks
# never enter the image. Node.js 24 LTS, the same release CI runs (.ci/node24); Debian 13 (trixie), the stable one.
FROM node:24.19.0-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsc → dist/, then the workflow code bundled once into dist/workflow-bundle.js (workers load it: no webpack at start)
RUN npm run build && test -s dist/workflow-bundle.js

FROM node:24.19.0-trixie-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY locales ./locales
COPY assets ./assets
USER node
# docker stop sends SIGTERM: workers stop polling and get WORKER_SHUTDOWN_GRACE_SECONDS (10 s) to finish their
# activities; compose's stop_grace_period leaves time beyond that to close connections.
STOPSIGNAL SIGTERM
# Overridden per service in docker-compose.yml (bot, worker, migrate).
CMD ["node", "dist/worker.js"]
