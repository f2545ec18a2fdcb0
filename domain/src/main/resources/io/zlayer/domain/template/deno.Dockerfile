# Deno: the project's files with their dependencies installed ahead of time (deno install,
# when there is a deno.json, deno.jsonc or package.json), run by the unprivileged "deno" user
# with network, environment and read access. Replace main.ts in CMD (or the permissions) to
# suit your program.

FROM denoland/deno:latest
WORKDIR /app
COPY . .
RUN if [ -f deno.json ] || [ -f deno.jsonc ] || [ -f package.json ]; then deno install; fi
USER deno
CMD ["deno", "run", "--allow-net", "--allow-env", "--allow-read", "main.ts"]
