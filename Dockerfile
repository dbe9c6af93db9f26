# syntax=docker/dockerfile:1
#
# One image for every Torch Tutor process: the bot (`tutor serve`, the default command), the sandbox
# service (`tutor sandbox serve`) and the migration job (`tutor db upgrade`). docker-compose.yml runs them;
# README.md "Deploy" explains the security settings each one gets. Build:
#     docker build --build-arg VERSION=0.1.0 --build-arg VCS_REF="$(git rev-parse --short HEAD)" -t torch-tutor .
# Pin PYTHON_IMAGE to a digest (python:3.11-slim@sha256:...) for reproducible production builds.
ARG PYTHON_IMAGE=python:3.11-slim

# --- builder: turn the source tree into a wheel (lessons, migrations and alembic.ini ride along as
# package data, see pyproject.toml), so the runtime stage installs exactly what `pip install .` would.
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY sandbox ./sandbox
COPY lessons ./lessons
COPY migrations ./migrations
RUN pip wheel --no-deps --wheel-dir /dist .

# --- runtime
FROM ${PYTHON_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG VCS_REF=unknown
LABEL org.opencontainers.image.title="Torch Tutor" \
      org.opencontainers.image.description="A chat tutor for PyTorch: the bot, the sandbox service and migrations" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${VCS_REF}" \
      org.opencontainers.image.licenses="MIT"
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# graphviz: `dot` renders autograd graphs as PNG (front ends fall back to the text tree without it).
# fonts-wqy-microhei: a CJK font, so matplotlib figures show Chinese titles and labels (without it they
# render as boxes; see sandbox/figures.py).
# libseccomp2: pyseccomp compiles the sandbox's syscall filter with it; without it the sandbox refuses to
# start (see sandbox/seccomp_filter.py).
# uidmap: newuidmap/newgidmap map the sandbox's warm parent's user namespace with the subordinate uids
# below, so that every child runs as a host uid of its own (sandbox/userns.py).
# Unpinned: Debian stable only ships fixes, and pins break as the base image moves; pin PYTHON_IMAGE's
# digest for a reproducible build.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends graphviz libseccomp2 uidmap fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*

# torch first, from the CPU-only index (no CUDA libraries: ~200 MB instead of several GB); the wheel's own
# `torch==2.13.0` requirement is then already met (PEP 440 ignores the `+cpu` local label) and the rest of
# its dependencies come from PyPI.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
RUN --mount=type=bind,from=builder,source=/dist,target=/tmp/dist \
    pip install /tmp/dist/*.whl \
 && python -c "import torch, sys; sys.exit(torch.version.cuda is not None)" \
 && tutor --help >/dev/null

COPY --chmod=0755 deploy/healthcheck.py /usr/local/bin/tutor-healthcheck

# One unprivileged user for every process. The sandbox needs no root either: its warm parent becomes root
# of a user namespace of its own, mapped by newuidmap/newgidmap to the user's uid plus the subordinate range
# in /etc/subuid and /etc/subgid, and gives each child one uid of that range (see sandbox/userns.py and
# README "Deploy"). Keep the range unused by any other process on the host. It lies below 65536 because a
# Kubernetes pod in a user namespace of its own (hostUsers: false) maps only uids 0-65535; newuidmap refuses
# ids the pod does not have. A fixed numeric uid lets
# Kubernetes check runAsNonRoot and keeps file ownership stable across rebuilds.
RUN groupadd --gid 10001 tutor \
 && useradd --uid 10001 --gid tutor --home-dir /var/lib/tutor --create-home \
            --shell /usr/sbin/nologin tutor \
 && echo "tutor:20000:40000" > /etc/subuid \
 && echo "tutor:20000:40000" > /etc/subgid
# Writable for `docker run` without a database setting (SQLite in ./tutor.db); compose uses PostgreSQL
# and a read-only root filesystem.
WORKDIR /var/lib/tutor
USER 10001:10001

# The sandbox service's port (the bot serves no HTTP).
EXPOSE 8060
# Asks `tutor sandbox serve` for GET /healthz on its port, `tutor serve` on its metrics port
# (TUTOR_METRICS__PORT); other commands are healthy while they run.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["tutor-healthcheck"]
ENTRYPOINT ["tutor"]
CMD ["serve"]
