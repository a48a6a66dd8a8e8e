# One image for every role: `cascade all` (default), `serve` (receivers) or `work` (workers).
# Built on the current Node LTS line; the repository itself still runs on Node >= 20.19.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY workers workers
COPY cli cli
# The product only: no sandbox, no benchmarks (the demo needs a source checkout and `npm run build`).
RUN npm run build:prod && npm prune --omit=dev

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
