# realmwatch as a container: Next's standalone server plus a bundled prepare step (migrations, source
# registration, the sign-in check). Build: docker compose build; see docs/production.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
# Exactly the lock (it lists every platform's optional packages). Install scripts stay off (the embedded
# PostgreSQL's are not needed with DATABASE_URL); the dependency patches (scripts/patches) are applied below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx tsx scripts/patches/apply-patches.ts \
 && REALMWATCH_STANDALONE=1 npx next build \
 && npx esbuild docker/prepare.ts --bundle --platform=node --format=esm --target=node20 \
      --tsconfig=tsconfig.json --outfile=docker-dist/prepare.mjs \
      "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"

FROM node:20-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    REALMWATCH_DATA_DIR=/data
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/.next/static ./.next/static
COPY --from=build --chown=node:node /app/prisma/migrations ./prisma/migrations
COPY --from=build --chown=node:node /app/docker-dist/prepare.mjs ./prepare.mjs
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:3000/api/live').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# Next's standalone server reads HOSTNAME (not HOST) for the address it binds.
CMD ["sh", "-c", "node prepare.mjs && exec node server.js"]
