# Go: a static binary (CGO off, stripped) built on Alpine, copied into a small Alpine image
# and run by an unprivileged user. Builds the package in the context's root; another one with
# --build-arg PKG=./cmd/server. Modules and the build cache are cache mounts.

FROM golang:alpine AS builder
RUN apk add --no-cache git
WORKDIR /src
COPY go.mod go.sum* ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
ARG PKG=.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app "$PKG"

FROM alpine:3
RUN apk add --no-cache ca-certificates \
    && adduser -D -u 10001 app
COPY --from=builder /out/app /usr/local/bin/app
USER app
CMD ["/usr/local/bin/app"]
