"""Korean date stamps, KST normalisation, plausibility, and how sources are reconciled."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest

from pipelines.dates import (KST, Stamp, choose, find_stamps, make_stamp, parse_datetime,
                             plausible, to_iso)

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=KST)


@pytest.mark.parametrize("text, iso, label", [
    ("입력 2024.09.11 16:10", "2024-09-11T16:10:00+09:00", "입력"),
    ("기사입력 2021.10.04. 오후 4:26", "2021-10-04T16:26:00+09:00", "기사입력"),
    ("기사입력 2021.10.04. 오전 12:05", "2021-10-04T00:05:00+09:00", "기사입력"),
    ("입력2023.11.02. 오후 8:06", "2023-11-02T20:06:00+09:00", "입력"),
    ("승인 2024-09-11 16:10:25", "2024-09-11T16:10:25+09:00", "승인"),
    ("기사승인 : 2024-09-11 16:10:25", "2024-09-11T16:10:25+09:00", "기사승인"),
    ("최선경 기자 / 기사승인 : 2024-09-11 16:10:25", "2024-09-11T16:10:25+09:00", "기사승인"),
    ("등록 2025-12-05 16:40", "2025-12-05T16:40:00+09:00", "등록"),
    ("등록일 2025.12.05 16:40 조회수 20", "2025-12-05T16:40:00+09:00", "등록일"),
    ("작성일 : 2025-12-05 17:09", "2025-12-05T17:09:00+09:00", "작성일"),
    ("기사입력 :[ 2018-08-25 15:24 ]", "2018-08-25T15:24:00+09:00", "기사입력"),
    ("송고시간 2023-04-20 13:24:13", "2023-04-20T13:24:13+09:00", "송고시간"),
    ("입력 2023.04.07 (19:13)", "2023-04-07T19:13:00+09:00", "입력"),
    ("작성일 2025년 12월 5일 16시 40분", "2025-12-05T16:40:00+09:00", "작성일"),
])
def test_published_stamps(text: str, iso: str, label: str) -> None:
    stamps = find_stamps(text, now=NOW)
    assert [s.iso() for s in stamps] == [iso]
    assert stamps[0].kind == "published" and stamps[0].has_time
    assert stamps[0].source == f"stamp:{label}"


def test_published_and_modified_in_one_line() -> None:
    stamps = find_stamps("등록 2023.04.21 16:27 / 수정 2023.04.21 16:29", now=NOW)
    assert [(s.kind, s.iso()) for s in stamps] == [
        ("published", "2023-04-21T16:27:00+09:00"), ("modified", "2023-04-21T16:29:00+09:00")]
    assert find_stamps("최종수정 2024-09-12 09:00", now=NOW)[0].kind == "modified"


def test_date_only_stamp_and_weak_label() -> None:
    stamps = find_stamps("날짜 2025.12.10 조회수 52", now=NOW)
    assert len(stamps) == 1
    assert stamps[0].iso() == "2025-12-10T00:00:00+09:00" and not stamps[0].has_time
    assert stamps[0].source.startswith("weak:")


@pytest.mark.parametrize("text", [
    "등록번호 : 서울 아01043 | 등록일자 : 2009.11.30",  # newspaper registration in footers
    "사업자등록 2023.01.01",
    "입력해 주세요 2024",
    "발행일: 2025-12-06 17:25 (토)",                    # the issue date in a masthead
])
def test_things_that_are_not_article_stamps(text: str) -> None:
    assert find_stamps(text, now=NOW) == []


@pytest.mark.parametrize("text, iso", [
    ("2023-04-20T04:24:13Z", "2023-04-20T13:24:13+09:00"),
    ("2023-04-11T02:40:17.100Z", "2023-04-11T11:40:17+09:00"),
    ("2023-04-19T20:30:00Z", "2023-04-20T05:30:00+09:00"),            # crosses midnight
    ("2025-05-15T20:00:52.000+0900", "2025-05-15T20:00:52+09:00"),
    ("2020-07-07T10:42:42+09:00", "2020-07-07T10:42:42+09:00"),
    ("2020-03-04 16:52:59", "2020-03-04T16:52:59+09:00"),              # naive = KST
    ("2019-08-20T00:31:01-05:00", "2019-08-20T14:31:01+09:00"),
    ("Sat, 31 Dec 2005 13:47:03 +0900", "2005-12-31T13:47:03+09:00"),
    ("Fri, 30 Dec 2005 23:00:00 GMT", "2005-12-31T08:00:00+09:00"),
])
def test_machine_dates_become_kst(text: str, iso: str) -> None:
    parsed = parse_datetime(text)
    assert parsed is not None and parsed[1]
    assert to_iso(parsed[0]) == iso


def test_date_only_machine_value() -> None:
    parsed = parse_datetime("2025-12-10")
    assert parsed == (datetime(2025, 12, 10, tzinfo=KST), False)
    assert to_iso(parsed[0]) == "2025-12-10T00:00:00+09:00"


@pytest.mark.parametrize("text", ["", "없음", "2023-13-45", "99:99"])
def test_unparsable(text: str) -> None:
    assert parse_datetime(text) is None


def test_future_dates_are_rejected_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pipelines.dates"):
        assert make_stamp("2026-01-03T00:00:00+09:00", "meta", now=NOW) is None
        assert find_stamps("입력 2027.01.01 10:00", now=NOW) == []
    assert sum("future" in r.getMessage() for r in caplog.records) == 2
    assert make_stamp("2026-01-02T11:00:00+09:00", "meta", now=NOW) is not None  # within a day


def test_pre_1990_dates_are_rejected_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pipelines.dates"):
        assert make_stamp("1989-12-31T23:59:00+09:00", "meta", now=NOW) is None
        assert find_stamps("등록 1987.06.10 09:00", now=NOW) == []
    assert sum("before 1990" in r.getMessage() for r in caplog.records) == 2
    assert plausible(datetime(1990, 1, 1, tzinfo=KST), now=NOW)
    # 1990-01-01 00:30 KST is 1989-12-31 in UTC: the KST value is what counts
    assert make_stamp("1989-12-31T15:30:00Z", "meta", now=NOW) is not None


def _s(iso: str, source: str, kind: str = "published", has_time: bool = True) -> Stamp:
    return Stamp(datetime.fromisoformat(iso), has_time, source, kind)


def test_agreeing_sources_keep_the_finer_value() -> None:
    meta = [_s("2024-09-11T16:10:25+09:00", "meta")]
    visible = [_s("2024-09-11T16:10:00+09:00", "stamp:입력")]
    assert choose(meta, visible, []).iso() == "2024-09-11T16:10:25+09:00"


def test_visible_stamp_wins_a_disagreement() -> None:
    # a meta tag that calls a local time UTC is off by nine hours; readers saw the stamp
    meta = [_s("2023-04-20T04:24:13+09:00", "meta")]
    visible = [_s("2023-04-20T13:24:13+09:00", "stamp:송고시간")]
    assert choose(meta, visible, []).iso() == "2023-04-20T13:24:13+09:00"


def test_strong_labels_beat_weak_ones_and_htmldate_is_last() -> None:
    weak = _s("2025-12-01T00:00:00+09:00", "weak:날짜", has_time=False)
    strong = _s("2025-12-05T16:40:00+09:00", "stamp:등록일")
    assert choose([], [weak, strong], []).iso() == "2025-12-05T16:40:00+09:00"
    guess = _s("2020-01-01T00:00:00+09:00", "htmldate", has_time=False)
    embedded = [_s("2026-01-29T18:40:00+09:00", "embedded:next")]
    assert choose([], [], embedded, guess).iso() == "2026-01-29T18:40:00+09:00"
    assert choose([], [], [], guess).iso() == "2020-01-01T00:00:00+09:00"
    assert choose([], [], [], None) is None


def test_a_day_borrows_its_time_from_an_unlabelled_stamp() -> None:
    guess = _s("2020-03-04T00:00:00+09:00", "htmldate", has_time=False)
    loose = [_s("2020-03-03T09:00:00+09:00", "text"), _s("2020-03-04T16:52:59+09:00", "text")]
    assert choose([], [], [], guess, loose).iso() == "2020-03-04T16:52:59+09:00"


def test_modified_is_chosen_separately() -> None:
    machine = [_s("2023-04-07T19:13:45+09:00", "jsonld"),
               _s("2023-04-07T19:43:50+09:00", "jsonld", "modified")]
    assert choose(machine, [], [], kind="modified").iso() == "2023-04-07T19:43:50+09:00"
    assert choose(machine, [], []).iso() == "2023-04-07T19:13:45+09:00"


def test_iso_output_is_always_kst() -> None:
    utc = datetime(2024, 9, 11, 7, 10, 25, tzinfo=timezone.utc)
    assert to_iso(utc) == "2024-09-11T16:10:25+09:00"
    assert to_iso(datetime(2024, 9, 11, 16, 10, 25, 500000, tzinfo=timezone(timedelta(hours=9)))) \
        == "2024-09-11T16:10:25+09:00"


def test_far_off_visible_stamp_does_not_override_the_article_meta() -> None:
    # a labelled stamp days away from the meta date belongs to a list item, not the story
    meta = [_s("2024-09-11T16:10:25+09:00", "meta")]
    visible = [_s("2024-08-01T09:00:00+09:00", "stamp:입력")]
    assert choose(meta, visible, []).iso() == "2024-09-11T16:10:25+09:00"
