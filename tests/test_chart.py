"""The radar chart: a valid, small PNG in either language, drawn without slowing start-up."""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib

import pytest

from bot import LANGS, Lang
from bot.assessment.chart import radar_png
from bot.assessment.scoring import score
from bot.config import PROJECT_ROOT
from bot.content.loader import Knowledge
from tests.companies import COMPANIES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """Every chunk of a PNG, each checked against its CRC."""
    assert data.startswith(PNG_SIGNATURE)
    chunks = []
    at = len(PNG_SIGNATURE)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.append((kind, body))
        at += 12 + length
    return chunks


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("company", sorted(COMPANIES))
def test_the_chart_is_a_valid_small_png(knowledge: Knowledge, company: str, lang: Lang) -> None:
    result = score(knowledge.assessment, COMPANIES[company])
    png = radar_png(result, knowledge.assessment, lang)
    chunks = png_chunks(png)
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height = struct.unpack(">II", chunks[0][1][:8])
    assert (width, height) == (800, 800)
    assert len(png) < 100_000  # quick to send over a phone connection


def test_the_labels_follow_the_language(knowledge: Knowledge) -> None:
    result = score(knowledge.assessment, COMPANIES["cafe"])
    english = radar_png(result, knowledge.assessment, "en")
    finnish = radar_png(result, knowledge.assessment, "fi")
    assert english != finnish
    assert radar_png(result, knowledge.assessment, "en") == english  # the same input, same image


def test_different_scores_draw_different_charts(knowledge: Knowledge) -> None:
    charts = {
        radar_png(score(knowledge.assessment, answers), knowledge.assessment, "en")
        for answers in COMPANIES.values()
    }
    assert len(charts) == len(COMPANIES)


def test_importing_the_chart_module_does_not_load_matplotlib() -> None:
    """Start-up stays fast: matplotlib is loaded only when a chart is drawn."""
    code = "import sys, bot.assessment.chart; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
