# One image for both processes; docker-compose runs it as the API or the worker.
# The TypeScript runs through tsx (a runtime dependency), so there is no separate build output
# that could drift from the sources.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
# The workflow bundle is built once, with the image: the worker then neither runs webpack at
# start-up nor keeps webpack's memory.
RUN node --import tsx src/worker/bundle-workflows.ts /app/workflow-bundle.js
ENV WORKFLOW_BUNDLE_PATH=/app/workflow-bundle.js
USER node
# Overridden per service in docker-compose.yml.
CMD ["node_modules/.bin/tsx", "src/api/main.ts"]
