# aniworld in an image FROM scratch: the static binary and nothing else. It carries its own CA
# roots (used when the system has none) and its own health check; no shell, no curl, no
# ffmpeg (HLS downloads stay MPEG-TS). Build the binary first; the image copies it, so the
# build pulls nothing:
#
#   RUSTFLAGS="-C target-feature=+crt-static" cargo build --release --target x86_64-unknown-linux-gnu
#   docker build -t aniworld .
#
# Run it (compose.yaml adds FlareSolverr):
#
#   docker run -d -p 8000:8000 -v ./data:/data -v /srv/anime:/anime aniworld
#
# It runs as 1000:1000, the first user of most systems: the anime folder on the host must be
# writable by it (or start it with --user set to the folder's owner).
FROM scratch

# /data and /anime owned by the user, for named volumes (an empty folder; .dockerignore
# leaves its README out)
COPY --chown=1000:1000 container/empty /data
COPY --chown=1000:1000 container/empty /anime
COPY target/x86_64-unknown-linux-gnu/release/aniworld /aniworld

USER 1000:1000
# Every flag has its variable (aniworld --help): ANIWORLD_PROVIDER_URL, ANIWORLD_STO_URL,
# ANIWORLD_RATE_LIMIT, ANIWORLD_FLARESOLVERR_URL, and these four.
ENV ANIWORLD_HOST=0.0.0.0 \
    ANIWORLD_PORT=8000 \
    ANIWORLD_DATA_DIR=/data \
    ANIWORLD_ANIME_DIR=/anime
VOLUME ["/data", "/anime"]
EXPOSE 8000
# `aniworld health` asks GET /health on ANIWORLD_HOST/ANIWORLD_PORT (0.0.0.0 on loopback)
HEALTHCHECK --interval=30s --timeout=6s --start-period=10s --retries=3 CMD ["/aniworld", "health"]
# SIGTERM: stop accepting, let the running download reach a safe point, exit 0 within 10 s
STOPSIGNAL SIGTERM
ENTRYPOINT ["/aniworld"]
CMD ["serve"]
