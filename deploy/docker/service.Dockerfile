# One image recipe for all three services; docker-compose.yml picks the service with the build
# arg SERVICE (membership, conference or notifications). Build from the repository root:
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=membership .
# Each image holds only the contracts, the delivery, service and web libraries, the service itself, the
# operator command line (`convene-admin`, docs/operations.md) and their locked dependencies: no dev
# tools, no other service's code.

FROM python:3.11-slim AS build
ARG SERVICE
RUN case "$SERVICE" in membership|conference|notifications) ;; \
      *) echo "set --build-arg SERVICE=membership|conference|notifications" >&2; exit 1 ;; esac
# The same uv as deploy/local/common.sh pins (UV_VERSION), so uv.lock reads the same way.
RUN pip install --no-cache-dir uv==0.13.8
# Use the image's Python (never download one), copy files out of the cache rather than link
# them, and compile bytecode at build time: the service's user cannot write into /app/.venv.
ENV UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_NO_CACHE=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src

# `uv sync --frozen` reads the whole workspace, so every member's pyproject.toml must be here,
# though only the chosen service's source is copied below.
COPY pyproject.toml uv.lock ./
COPY contracts/pyproject.toml contracts/
COPY libs/delivery/pyproject.toml libs/delivery/
COPY libs/service/pyproject.toml libs/service/
COPY libs/web/pyproject.toml libs/web/
COPY libs/operator/pyproject.toml libs/operator/
COPY services/membership/pyproject.toml services/membership/
COPY services/conference/pyproject.toml services/conference/
COPY services/notifications/pyproject.toml services/notifications/

# Third-party dependencies first, in a layer of their own: a source change does not reinstall them.
# No `RUN --mount=type=cache`: this layer is the cache, and the file builds on the classic builder
# as well as on BuildKit (compose falls back to the classic one when buildx is missing).
RUN uv sync --frozen --no-dev --no-install-workspace --package "convene-$SERVICE" --package convene-operator

COPY contracts/ contracts/
COPY libs/delivery/ libs/delivery/
COPY libs/service/ libs/service/
COPY libs/web/ libs/web/
COPY libs/operator/ libs/operator/
COPY services/${SERVICE}/ services/${SERVICE}/
# Non-editable: the workspace packages (with their SQL migrations and templates) go into the
# environment itself, so the runtime stage needs /app/.venv and nothing from /src.
RUN uv sync --frozen --no-dev --no-editable --package "convene-$SERVICE" --package convene-operator


FROM python:3.11-slim
ARG SERVICE
RUN useradd --system --no-create-home --uid 10001 --user-group convene
COPY --from=build /app/.venv /app/.venv
ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    CONVENE_SERVICE=${SERVICE}
WORKDIR /app
# By number: a runtime that checks for a non-root user (runAsNonRoot) cannot resolve a name.
USER 10001:10001
# CMD cannot expand a build arg itself; `exec` keeps python as PID 1 so it receives SIGTERM.
# With SERVICE=membership this runs: python -m membership serve
CMD ["/bin/sh", "-c", "exec python -m \"$CONVENE_SERVICE\" serve"]
