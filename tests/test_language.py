"""The NLP stage reads Korean only: an English edition's article names no organisations."""

from __future__ import annotations

from pathlib import Path

from nlp.language import reads_as_korean
from nlp.pipeline import analyze_text
from pipelines.stages import extract_record

REPLAY = Path(__file__).resolve().parents[1] / "data" / "replay"


def _body(path: str, url: str) -> str:
    record = extract_record((REPLAY / path).read_bytes(), url, "utf-8", url.split("/")[2])
    return record["body"]


def test_an_english_article_names_no_organisations() -> None:
    # Before: every English word was a candidate, and 17 came out (`official` media, `for` other …).
    body = _body("yna.co.kr/en_article_AEN20190820002300325.html", "https://en.yna.co.kr/view/AEN20190820002300325")
    assert len(body) > 1000 and not reads_as_korean(body)
    result = analyze_text(body)
    assert result["organizations"] == [] and result["achievements"] == []


def test_korean_with_english_names_is_still_read() -> None:
    body = _body("gwangju.go.kr/press_view_seq21180.html",
                 "https://www.gwangju.go.kr/boardView.do?pageId=www789&boardId=BD_0000000027&seq=21180")
    assert reads_as_korean(body)
    firms = {o["name"] for o in analyze_text(body)["organizations"] if o["kind"] == "firm"}
    assert {"에스오에스랩", "솔티랩"} <= firms
    # the real-text gold's most English passage (a Wikinews item on an IR award)
    assert reads_as_korean("6차 연례 투자홍보(IR) 매거진 호주 시상식에서는, ANZ은행, Babcock & Brown, "
                           "BHP Billiton, Coates Hire 그리고 매콰어리은행 등의 호주 기업체들이 상을 받았다.")
