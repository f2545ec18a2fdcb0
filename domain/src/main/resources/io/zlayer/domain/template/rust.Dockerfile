# Rust: a release build on Alpine (linked statically against musl), copied into a small
# Alpine image and run by an unprivileged user. A package with several binaries needs
# --build-arg BIN=NAME to choose the one to run. Cargo's registry and target directory are
# cache mounts, so rebuilds are incremental.

FROM rust:alpine AS builder
RUN apk add --no-cache musl-dev
WORKDIR /app
COPY . .
ARG BIN=
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/app/target \
    set -e; \
    if [ -f Cargo.lock ]; then locked=--locked; else locked=; fi; \
    cargo install $locked --path . --root /out --target-dir /app/target; \
    if [ -n "$BIN" ]; then \
      cp "/out/bin/$BIN" /app/app; \
    elif [ "$(ls /out/bin | wc -l)" -eq 1 ]; then \
      cp /out/bin/* /app/app; \
    else \
      echo "the package builds several binaries ($(ls /out/bin | tr '\n' ' '));" \
        "choose one with --build-arg BIN=NAME" >&2; \
      exit 1; \
    fi

FROM alpine:3
RUN apk add --no-cache ca-certificates \
    && adduser -D -u 10001 app
COPY --from=builder /app/app /usr/local/bin/app
USER app
CMD ["/usr/local/bin/app"]
