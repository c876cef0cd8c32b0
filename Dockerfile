# Multi-stage build: a static larder binary on an empty base image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/larder ./cmd/larder

FROM scratch
COPY --from=build /out/larder /larder
# In a container the server must listen beyond loopback: set a password
# (LARDER_REQUIREPASS) before publishing the port.
ENV LARDER_BIND=0.0.0.0
EXPOSE 6379
USER 65532:65532
ENTRYPOINT ["/larder"]
