# fast-orchestrator-service: 4-stage build from the fastlint template (FAST multi-stage build standard)

# Stage 1: dependencies - every npm package, devDependencies included; cached until package*.json changes
FROM node:20-alpine AS dependencies
WORKDIR /app
COPY package*.json ./
RUN npm ci --ignore-scripts

# Stage 2: builder - production node_modules pruned in /prod, TypeScript compiled
FROM dependencies AS builder
RUN mkdir -p /prod && \
    cp -R package*.json node_modules /prod/ && \
    npm prune --omit=dev --prefix /prod
COPY . .
RUN npm run build

# Stage 3: runtime-tools - health check tools, OS packages upgraded
FROM alpine:3.19 AS runtime-tools
RUN apk upgrade --no-cache && \
    apk add --no-cache curl && \
    curl --version

# Stage 4: production - runtime files only, non-root, health-checked
FROM node:20-alpine AS production
RUN apk upgrade --no-cache && \
    apk add --no-cache curl && \
    addgroup -g 1001 -S nodejs && \
    adduser -S -u 1001 -G nodejs nodejs
WORKDIR /app
ENV NODE_ENV=production
LABEL org.opencontainers.image.authors="Payments Platform <payments-platform@bank.example>"
ENV PORT=3004
COPY --from=builder --chown=nodejs:nodejs /prod/node_modules ./node_modules
COPY --from=builder --chown=nodejs:nodejs /app/package.json ./package.json
COPY --from=builder --chown=nodejs:nodejs /app/static ./static
COPY --from=builder --chown=nodejs:nodejs /app/dist ./dist
USER nodejs
EXPOSE 3004
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["curl", "-f", "http://localhost:3004/health"]
CMD ["node", "dist/index.js"]
