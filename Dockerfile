# rampa's container image: the binary from `deno task compile` on distroless (glibc, no shell).
#
#   docker build -t rampa .
#   docker run --rm -v "$PWD:/scenarios" ghcr.io/rampa-dev/rampa run /scenarios/s.ts
#
# Stage 1 compiles with the repository's own compile task (its --include list, V8 flags and
# permissions), so the image runs exactly what the release binaries run.

FROM denoland/deno:2.9.6 AS build
WORKDIR /src
COPY . .
# The commit `rampa version` reports (the release workflow passes --build-arg RAMPA_COMMIT=<sha>).
ARG RAMPA_COMMIT=dev
RUN printf '/** The commit this binary was built from. */\nexport const COMMIT: string = "%s";\n' \
      "$RAMPA_COMMIT" > cli/_build_info.ts
RUN deno task compile && ./dist/rampa version

FROM gcr.io/distroless/cc-debian12
COPY --from=build /src/dist/rampa /usr/local/bin/rampa
WORKDIR /scenarios
ENTRYPOINT ["rampa"]
CMD ["help"]
