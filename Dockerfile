# Multi-stage build: a static larder binary on an empty base image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/larder ./cmd/larder \
 && mkdir -p /out/data

FROM scratch
COPY --from=build /out/larder /larder
COPY --from=build --chown=65532:65532 /out/data /data
# In a container the server must listen beyond loopback, so it refuses to
# start without a REST token: run it with -e LARDER_REST_TOKEN=<secret>
# (also the password of the default user over TCP), or LARDER_REST_PORT=0
# and LARDER_REQUIREPASS for RESP only. The log lives in /data: mount a
# volume there to keep it.
ENV LARDER_BIND=0.0.0.0 LARDER_DIR=/data
WORKDIR /data
EXPOSE 6379 8080
VOLUME /data
USER 65532:65532
ENTRYPOINT ["/larder"]
