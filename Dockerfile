# syntax=docker/dockerfile:1

# --- build: compile TypeScript to dist/src and dist/migrations ---
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

# --- runtime: production dependencies and the compiled app only ---
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
# The chart's font: rendered images must not depend on the fonts an image happens to have (slim ones have none).
COPY assets ./assets

# Embedded database (PGlite) when DATABASE_URL is unset. Created before VOLUME so the volume is owned by node.
RUN mkdir -p /app/data && chown node:node /app/data
ENV DATA_DIR=/app/data
VOLUME /app/data

USER node
EXPOSE 3000

# The slim image has no curl: probe with node itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

STOPSIGNAL SIGTERM
# The heap limit keeps V8 from holding on to what a burst grew (see BENCHMARKS.md, memory); same as npm start.
CMD ["node", "--enable-source-maps", "--max-old-space-size=128", "--max-semi-space-size=8", "dist/src/main.js"]
