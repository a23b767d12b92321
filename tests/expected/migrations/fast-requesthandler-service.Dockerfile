# fast-requesthandler-service: 4-stage build from the fastlint template (FAST multi-stage build standard)

# Stage 1: dependencies - every npm package, devDependencies included; cached until package*.json changes
FROM node:20-alpine AS dependencies
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --ignore-scripts

# Stage 2: builder - production node_modules pruned in /prod, TypeScript compiled, protobuf code generated
FROM dependencies AS builder
RUN mkdir -p /prod && \
    cp -R package*.json node_modules /prod/ && \
    npm prune --omit=dev --prefix /prod
COPY . .
RUN npm run build

# Stage 3: runtime-tools - health check tools, OS packages upgraded
FROM alpine:3.19 AS runtime-tools
ARG TARGETARCH
ARG GRPC_HEALTH_PROBE_VERSION=v0.4.37
ARG GRPC_HEALTH_PROBE_SHA256_AMD64=8302d54fc41d4ffbfea6871b6a04584265d5eabbe738aee2966f9a574b6f17d1
ARG GRPC_HEALTH_PROBE_SHA256_ARM64=
RUN apk upgrade --no-cache && \
    arch="${TARGETARCH:-$(uname -m)}" && \
    case "$arch" in \
        amd64|x86_64) arch=amd64 && sum="${GRPC_HEALTH_PROBE_SHA256_AMD64}" ;; \
        arm64|aarch64) arch=arm64 && sum="${GRPC_HEALTH_PROBE_SHA256_ARM64}" ;; \
        *) echo "grpc_health_probe: no build for architecture $arch" >&2 && exit 1 ;; \
    esac && \
    if [ -z "$sum" ]; then echo "grpc_health_probe-linux-$arch: no sha256 given (build argument GRPC_HEALTH_PROBE_SHA256_<ARCH>)" >&2 && exit 1; fi && \
    wget -qO /usr/local/bin/grpc_health_probe "https://github.com/grpc-ecosystem/grpc-health-probe/releases/download/${GRPC_HEALTH_PROBE_VERSION}/grpc_health_probe-linux-${arch}" && \
    echo "${sum}  /usr/local/bin/grpc_health_probe" | sha256sum -c - && \
    chmod 0755 /usr/local/bin/grpc_health_probe

# Stage 4: production - runtime files only, non-root, health-checked
FROM node:20-alpine AS production
RUN apk upgrade --no-cache && \
    addgroup -g 1001 -S nodejs && \
    adduser -S -u 1001 -G nodejs nodejs
WORKDIR /usr/src/app
ENV NODE_ENV=production
LABEL maintainer="gpp-g3-payments@bank.example" com.bank.service="fast-requesthandler-service"
ENV PORT=50051
COPY --from=runtime-tools /usr/local/bin/grpc_health_probe /usr/local/bin/grpc_health_probe
COPY --from=builder --chown=nodejs:nodejs /prod/node_modules ./node_modules
COPY --from=builder --chown=nodejs:nodejs /usr/src/app/package.json ./package.json
COPY --from=builder --chown=nodejs:nodejs /usr/src/app/dist ./dist
USER nodejs
EXPOSE 50051
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["grpc_health_probe", "-addr=localhost:50051", "-service=gpp.g3.requesthandler.MessageHandler"]
CMD ["node", "dist/index.js"]
