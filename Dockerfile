# syntax=docker/dockerfile:1.7
# Multi-stage build: compile TypeScript with dev dependencies, ship only production ones.
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20.19.5-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY locales ./locales
USER node
# Overridden per service in docker-compose.yml (bot, worker, migrate).
CMD ["node", "dist/worker.js"]
