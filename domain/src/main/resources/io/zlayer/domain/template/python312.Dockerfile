# Python 3.12 (slim Debian), for production: the packages of requirements.txt and, when there
# is a pyproject.toml or setup.py, the project itself, installed into a virtual environment
# that is copied into a clean image and run by an unprivileged user. Replace main.py in CMD
# (or the whole CMD) with your entry point.

FROM python:3.12-slim AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY requirements*.txt ./
RUN --mount=type=cache,target=/root/.cache/pip \
    if [ -f requirements.txt ]; then pip install -r requirements.txt; fi
COPY . .
RUN --mount=type=cache,target=/root/.cache/pip \
    if [ -f pyproject.toml ] || [ -f setup.py ]; then pip install .; fi

FROM python:3.12-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN useradd --create-home --uid 10001 app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY . .
USER app
CMD ["python", "main.py"]
