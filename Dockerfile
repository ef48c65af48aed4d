# Takeboard in one image: Node 20 on Debian bookworm, Debian's maintained ffmpeg and the DejaVu
# fonts, the compiled server (dist/) run by plain node as an unprivileged user.
# Not built or run on the project's machine (Docker cannot run there); test/ops/docker.test.ts
# checks this file and compose.yaml against the configuration schema instead.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Compile, then drop the build tools (tsx, TypeScript, Vite, …) from node_modules.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8787 DATA_DIR=/data
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
# The node image's unprivileged user (uid 1000).
USER node
VOLUME /data
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8787) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node handles SIGTERM (`docker stop`), also as PID 1: it stops accepting, stores what was
# accepted, closes sockets with 4503 and hands running jobs back.
CMD ["node", "--enable-source-maps", "dist/server/main.js"]
