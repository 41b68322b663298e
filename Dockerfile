# An agent image with the dxsteps step binaries, for agent { docker { image 'dxsteps:VERSION' } }.
# The binaries carry the library's version (resources/io/dxsteps/version.txt): tag the image with it
# and build it from the same commit as the library the pipelines load.
#   docker build -t dxsteps:$(cat resources/io/dxsteps/version.txt) .
# DXSTEPS_HOME points the library at them, so containers of this image never install anything.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/dxsteps/dxsteps/internal/cli.Version=$(cat resources/io/dxsteps/version.txt)" \
      -o /out/ ./steps/...

# Jenkins runs sh steps in the container: the image needs a shell, not just the binaries.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /opt/dxsteps/
ENV DXSTEPS_HOME=/opt/dxsteps
ENV PATH=/opt/dxsteps:$PATH
