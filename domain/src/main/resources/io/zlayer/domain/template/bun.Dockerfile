# Bun: production dependencies (frozen when there is a lockfile), the project's files, run by
# the unprivileged "bun" user. Replace index.ts in CMD (or the whole CMD) with your entry point.

FROM oven/bun:1 AS builder
WORKDIR /app
COPY package.json bun.lockb* bun.lock* ./
RUN --mount=type=cache,target=/root/.bun/install/cache \
    if [ -f bun.lockb ] || [ -f bun.lock ]; then \
      bun install --frozen-lockfile --production; \
    else \
      bun install --production; \
    fi

FROM oven/bun:1
ENV NODE_ENV=production
WORKDIR /app
COPY . .
# after the sources, so that a node_modules in the context does not replace these
COPY --from=builder /app/node_modules ./node_modules
USER bun
CMD ["bun", "run", "index.ts"]
