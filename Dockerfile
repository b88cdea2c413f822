# SoMe Adviser as a Telegram bot.
#
#   docker build -t some-adviser .
#   docker run -d --name some-adviser -e TELEGRAM_BOT_TOKEN=123456:ABC... \
#       -v some-adviser-data:/data --restart unless-stopped some-adviser
#
# The SQLite database lives on the /data volume, so a new image (or a crash) loses nothing.
# Long polling needs no open port. For webhook mode also pass -e TELEGRAM_WEBHOOK_URL=https://...
# (and TELEGRAM_WEBHOOK_SECRET) and publish the port, e.g. -p 8443:8443.

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The package first, so that a change to the knowledge base does not reinstall the dependencies.
# The source is removed once installed: `python -m bot` then runs the installed package.
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install . && rm -rf build ./*.egg-info bot

# Content is data: the knowledge base and the reports it cites, read at start and validated.
COPY knowledge ./knowledge
COPY seeds ./seeds

# A user without privileges, owning only the data volume (and a home for matplotlib's cache).
RUN useradd --create-home --home-dir /home/adviser --uid 10001 --user-group adviser \
    && mkdir -p /data \
    && chown adviser:adviser /data

ENV ADVISER_KNOWLEDGE=/app/knowledge \
    ADVISER_SEEDS=/app/seeds \
    ADVISER_DB=/data/adviser.sqlite3 \
    MPLCONFIGDIR=/home/adviser/.cache/matplotlib \
    MPLBACKEND=Agg

USER adviser
VOLUME ["/data"]
# Only used in webhook mode (TELEGRAM_WEBHOOK_PORT, default 8443).
EXPOSE 8443

# Fails fast with path:line messages if the knowledge base is broken, before anything runs.
RUN python -m bot validate

# `docker stop` sends SIGTERM: the bot finishes the updates in hand and stops cleanly.
CMD ["python", "-m", "bot", "telegram"]
