# Node.js 20 on Alpine, for production: dependencies without devDependencies, the project's
# files, run as the unprivileged "node" user. Needs a package.json; with a package-lock.json
# (or npm-shrinkwrap.json) the install is reproducible (npm ci). Replace index.js in CMD (or
# the whole CMD) with your entry point.

FROM node:20-alpine AS builder
WORKDIR /app
COPY package.json package-lock.json* npm-shrinkwrap.json* ./
RUN --mount=type=cache,target=/root/.npm \
    if [ -f package-lock.json ] || [ -f npm-shrinkwrap.json ]; then \
      npm ci --omit=dev; \
    else \
      npm install --omit=dev; \
    fi

FROM node:20-alpine
ARG NODE_ENV=production
ENV NODE_ENV=${NODE_ENV}
WORKDIR /app
COPY . .
# after the sources, so that a node_modules in the context does not replace these
COPY --from=builder /app/node_modules ./node_modules
USER node
CMD ["node", "index.js"]
