"""A realistic synthetic news corpus for the search benchmark, and a cache of its Kiwi terms.

Why synthetic: the archive holds a few dozen real pages, the bar is about 100,000 articles.
Articles are recombined from the sentences of the real pages' extracted bodies (data/replay)
and the seed article, with the firms those sentences named replaced by listed companies from
data/gazetteer/krx_companies.csv (legal-form markers and particles re-attached, particles
chosen by the new name's final consonant), plus lead sentences about firm achievements written
for newsmine. A fifth of the articles rewrite an earlier one for another outlet (a story),
firm popularity follows a Zipf law, dates spread over two years.

Everything is deterministic for a seed. Analysing 100k articles with Kiwi takes ~10 minutes on
this machine, so the terms of every title and body are cached by text hash in an SQLite file
under bench/out/ (resumable: an interrupted run keeps what it analysed).

    .venv/bin/python bench/search_corpus.py --count 100000 --analyse   # builds the terms cache

A million articles would take Kiwi two to three hours that way; `--by-word` composes each text's
terms from its words' (each distinct word analysed once: 214,588 words, four and a half minutes
for the million with generation), and `--agreement N` says how close that comes to analysing
whole texts. Dates spread over the two years for any count above 100,000 (a smaller corpus keeps
the texts and dates it always had).

    .venv/bin/python bench/search_corpus.py --count 1000000 --analyse --by-word --workers 2
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sqlite3
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
REPLAY = ROOT / "data" / "replay"
SEED = ROOT / "tests" / "data" / "seed" / "jeonbuk-sw-article.txt"
GAZETTEER = ROOT / "data" / "gazetteer" / "krx_companies.csv"
POOL_FILE = OUT / "sentence_pool.json"
TERMS_FILE = OUT / "terms.sqlite"
SLOT = "\x01"  # marks where a firm name goes in a pooled sentence

OUTLETS = [
    "뉴스스텝", "전북일보", "전라일보", "새전북신문", "전북도민일보", "전북중앙신문", "광주일보",
    "남도일보", "전남일보", "무등일보", "경남신문", "경남도민일보", "부산일보", "국제신문",
    "매일신문", "영남일보", "대구일보", "경북일보", "중부일보", "경기일보", "인천일보",
    "강원일보", "강원도민일보", "충청투데이", "중도일보", "대전일보", "충북일보", "제주일보",
    "한라일보", "울산매일", "새만금신문", "전북도청", "전라남도청", "중소벤처기업부",
]
AGENCIES = [
    ("전북특별자치도", "government"), ("전라남도", "government"), ("광주광역시", "government"),
    ("중소벤처기업부", "government"), ("산업통상자원부", "government"),
    ("과학기술정보통신부", "government"), ("전주시", "government"), ("군산시", "government"),
    ("익산시", "government"), ("전북테크노파크", "public"), ("정보통신산업진흥원", "public"),
    ("전북디지털융합센터", "public"), ("한국산업기술진흥원", "public"),
    ("창업진흥원", "public"), ("중소벤처기업진흥공단", "public"), ("전북창조경제혁신센터", "public"),
]
CLIENTS = ["한국전력공사", "한국수자원공사", "전주시청", "경기도의 한 공공기관", "국내 대형 유통사",
           "서울의 한 종합병원", "지역 농협", "해외 자동차 부품사", "한국도로공사", "국방부"]
PRODUCTS = ["통합관제 시스템", "스마트팩토리 솔루션", "인공지능 영상분석 장비", "수소연료전지 부품",
            "이차전지 소재", "친환경 포장재", "발효 소스", "드론 방제 서비스", "의료용 소프트웨어",
            "자율주행 센서", "탄소섬유 복합재", "스마트팜 설비", "전기차 충전기", "보안 솔루션"]
COUNTRIES = ["미국", "베트남", "일본", "독일", "인도네시아", "사우디아라비아", "캐나다", "호주"]
INVESTORS = ["벤처캐피털", "한국산업은행", "지역 엔젤투자 조합", "대기업 전략투자 펀드"]
PRIZES = ["대상", "최우수상", "우수상", "장관 표창", "혁신상"]
EVENTS = ["대한민국 기술대전", "지역 중소기업 박람회", "국제 발명 전시회", "SW 품질 대상"]
CERTS = ["ISO 9001", "벤처기업", "이노비즈", "GS", "녹색기술", "HACCP"]
PROGRAMS = ["SW강소기업 육성", "스마트공장 구축", "수출 바우처", "예비 유니콘", "지역혁신 선도기업",
            "탄소중립 실증", "창업 도약 패키지"]
TECHS = ["영상 인식", "배터리 열관리", "발효 공정", "드론 제어", "데이터 암호화"]
LEGAL = ["㈜", "(주)", "", "", "", "주식회사 "]

# Lead sentences written for newsmine: (achievement type, template). {F} is the firm with its
# particle pair written as {F:은} etc.
LEADS: list[tuple[str, str]] = [
    ("contract", "{F:은} {client}과 약 {krw} 규모의 {product} 납품 계약을 체결했다고 {day}일 밝혔다."),
    ("contract", "{F:이} {client}에 {product}을 공급하는 {krw} 규모의 계약을 따냈다."),
    ("export", "{F:은} {country} 현지 바이어와 {usd} 규모의 {product} 수출 계약을 맺었다고 {day}일 밝혔다."),
    ("export", "{F:의} 올해 {country} 수출액이 {usd}를 넘어섰다."),
    ("selection", "{F:이} {agency}이 주관하는 {program} 지원 사업에 최종 선정됐다."),
    ("selection", "{agency}은 {F:을} 올해 {program} 참여 기업으로 선정했다고 {day}일 밝혔다."),
    ("award", "{F:은} {event}에서 {product} 기술로 {prize}을 받았다."),
    ("investment", "{F:은} {investor}으로부터 {krw} 규모의 투자를 유치했다고 {day}일 밝혔다."),
    ("hiring", "{F:은} 올해 지역 청년 {persons}명을 새로 채용했다."),
    ("certification", "{F:은} {product} 분야에서 {cert} 인증을 획득했다."),
    ("partnership", "{F:은} {agency}과 지역 산업 육성을 위한 업무협약을 체결했다."),
    ("launch", "{F:은} 자체 개발한 {product}을 정식 출시했다고 {day}일 밝혔다."),
    ("revenue", "{F:의} 지난해 매출은 {krw}으로 전년보다 {pct}% 늘었다."),
    ("ip", "{F:은} {tech} 관련 특허를 등록했다고 {day}일 밝혔다."),
    ("funding", "{F:은} {agency}으로부터 {krw}의 연구개발 자금을 지원받았다."),
    ("", "{F:은} {day}일 본사에서 {product} 설명회를 열고 지역 기업들과 협력 방안을 논의했다."),
]
TITLES = [
    "{F}, {krw} 규모 {product} 납품 계약", "{F}, {country}에 {product} 수출", "{F} {program} 선정",
    "{F}, {event} {prize} 수상", "{F}, {krw} 투자 유치", "{F} 청년 {persons}명 채용",
    "{F} {cert} 인증 획득", "{F}-{agency} 업무협약", "{F}, {product} 출시", "{agency}, {program} 기업 발표",
]
_PARTICLES = [("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("으로", "로")]
_LATIN_FINAL = set("LMNR")  # letters read with a final consonant (엘, 엠, 엔, 알)


def has_batchim(name: str) -> bool:
    """Whether a name, read aloud, ends in a consonant (decides 은/는, 이/가 …)."""
    last = name.rstrip()[-1:]
    if not last:
        return False
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28 != 0
    if last.isdigit():
        return last in "013678"
    return last.upper() in _LATIN_FINAL


def josa(name: str, pair: tuple[str, str]) -> str:
    with_final, without = pair
    if with_final == "으로":
        last = name.rstrip()[-1:]
        final = (ord(last) - 0xAC00) % 28 if "가" <= last <= "힣" else 0
        return name + ("로" if not has_batchim(name) or final == 8 else "으로")  # ㄹ takes 로
    return name + (with_final if has_batchim(name) else without)


def _particle_pair(word: str) -> tuple[str, str] | None:
    for pair in _PARTICLES:
        if word in pair:
            return pair
    return None


# ---------------------------------------------------------------- the sentence pool


@dataclass
class Sentence:
    text: str  # with SLOT + particle-class markers for firm names
    orgs: list[tuple[str, str]] = field(default_factory=list)  # (name, kind) of non-firms


def _split_sentences(body: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+", body)
    return [p.strip() for p in parts if 12 <= len(p.strip()) <= 260 and re.search("[가-힣]", p)]


def _real_bodies() -> list[tuple[str, str]]:
    """(title, body) of the archive's Korean article pages and the seed article."""
    from pipelines.extract import extract_article

    out = []
    with (REPLAY / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        if row["kind"] != "article" or "/private/" in row["url"] or "://en." in row["url"]:
            continue
        raw = (REPLAY / row["file"]).read_bytes()
        article = extract_article(raw, row["url"], declared_encoding=row.get("encoding") or None)
        out.append((article.title, article.body))
    seed = SEED.read_text(encoding="utf-8")
    out.append((seed.splitlines()[0], "\n".join(seed.splitlines()[1:])))
    return out


def build_pool() -> dict[str, Any]:
    """Sentences of the real bodies with firm mentions turned into slots (NLP finds them)."""
    from nlp.pipeline import get_nlp

    nlp = get_nlp()
    organizations = nlp.get_pipe("newsmine_orgs")

    sentences: list[dict[str, Any]] = []
    titles: list[str] = []
    for title, body in _real_bodies():
        if 8 <= len(title) <= 60:
            titles.append(title)
        doc = organizations(nlp.make_doc(body))  # organisations only
        spans: list[tuple[int, int, str, str]] = []
        for org in doc._.organizations:
            for start, end in org.mentions:
                spans.append((start, end, org.name, org.kind))
        for sentence in _split_sentences(body):
            offset = body.find(sentence)
            inside = [s for s in spans if offset >= 0 and offset <= s[0] and s[1] <= offset + len(sentence)]
            text, orgs, last = [], [], 0
            for start, end, name, kind in sorted(inside):
                if kind != "firm":
                    orgs.append((name, kind))
                    continue
                local_start, local_end = start - offset, end - offset
                # swallow a legal-form marker written just before or after the name
                before = sentence[max(0, local_start - 5) : local_start]
                m = re.search(r"(㈜|\(주\)|주식회사 ?)$", before)
                if m:
                    local_start -= len(m.group(1))
                after = sentence[local_end : local_end + 3]
                m = re.match(r"(㈜|\(주\))", after)
                if m:
                    local_end += len(m.group(1))
                if local_start < last:
                    continue
                text.append(sentence[last:local_start])
                # the particle after the name, re-chosen for the new name
                rest = sentence[local_end:]
                pair = None
                for candidate in ("으로", "로", "은", "는", "이", "가", "을", "를", "과", "와"):
                    if rest.startswith(candidate) and (len(rest) == len(candidate) or not "가" <= rest[len(candidate)] <= "힣" or candidate in ("으로", "로")):
                        pair = _particle_pair(candidate) or ("으로", "로")
                        local_end += len(candidate)
                        break
                text.append(SLOT + (pair[0] if pair else "") + SLOT)
                last = local_end
            text.append(sentence[last:])
            sentences.append({"text": "".join(text), "orgs": orgs})
    return {"sentences": sentences, "titles": titles}


def load_pool() -> dict[str, Any]:
    if POOL_FILE.exists():
        return json.loads(POOL_FILE.read_text(encoding="utf-8"))
    pool = build_pool()
    OUT.mkdir(parents=True, exist_ok=True)
    POOL_FILE.write_text(json.dumps(pool, ensure_ascii=False), encoding="utf-8")
    return pool


def load_firms() -> list[str]:
    """Listed company names (Hangul or mixed, 2–12 characters), in file order."""
    names = []
    with GAZETTEER.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["name"].strip()
            if row.get("kind") == "company" and 2 <= len(name) <= 12 and re.search("[가-힣]", name):
                names.append(name)
    return names


# ---------------------------------------------------------------- articles


@dataclass
class Corpus:
    """The generated articles and what the generator knows about them (for recall)."""

    records: list[dict[str, Any]]
    firms: list[str]  # firm names by popularity rank (index 0 = most written about)
    firm_articles: dict[str, set[int]]  # firm -> indexes of the records naming it


class _Writer:
    """Builds one article body, remembering firm mentions and other organisations."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.firms: dict[str, dict[str, Any]] = {}
        self.others: dict[str, str] = {}

    def add(self, text: str, firm_spans: list[tuple[int, int, str, str]] = ()) -> None:
        if self.parts:
            self.parts.append(" ")
            self.length += 1
        for start, end, name, surface in firm_spans:
            entry = self.firms.setdefault(name, {"surface": [], "mentions": []})
            if surface not in entry["surface"]:
                entry["surface"].append(surface)
            entry["mentions"].append([self.length + start, self.length + end])
        self.parts.append(text)
        self.length += len(text)

    def body(self) -> str:
        return "".join(self.parts)


def _fill_firm(template: str, firm: str, rng: random.Random) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Replace {F:x} / SLOT markers by the firm (with a legal form sometimes) and its particle."""
    out, spans = [], []
    pos = 0
    pattern = re.compile(r"\{F(?::([^}]*))?\}|" + SLOT + r"([^" + SLOT + r"]*)" + SLOT)
    for m in pattern.finditer(template):
        out.append(template[pos : m.start()])
        length = sum(len(p) for p in out)
        particle = m.group(1) if m.group(1) is not None else m.group(2)
        legal = rng.choice(LEGAL)
        surface = legal + firm if not legal.endswith(" ") else legal + firm
        if legal in ("㈜", "(주)") and rng.random() < 0.15:
            surface = firm + legal  # 흥덕산업㈜
        pair = _particle_pair(particle) if particle else None
        if particle == "으로":
            pair = ("으로", "로")
        word = josa(surface, pair) if pair else surface + (particle or "")
        spans.append((length, length + len(surface), firm, surface))
        out.append(word)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def _amount_krw(rng: random.Random) -> str:
    value = rng.choice([3, 5, 8, 12, 15, 20, 30, 45, 50, 80, 120, 150, 300])
    return f"{value}억 원" if value < 1000 else f"{value // 10000}조 원"


def _fill_fields(template: str, rng: random.Random, others: dict[str, str]) -> str:
    def pick_agency() -> str:
        name, kind = rng.choice(AGENCIES)
        others[name] = kind
        return name

    values = {
        "client": lambda: rng.choice(CLIENTS), "krw": lambda: _amount_krw(rng),
        "usd": lambda: f"{rng.choice([30, 50, 120, 200, 320, 500])}만 달러",
        "product": lambda: rng.choice(PRODUCTS), "country": lambda: rng.choice(COUNTRIES),
        "agency": pick_agency, "program": lambda: rng.choice(PROGRAMS),
        "event": lambda: rng.choice(EVENTS), "prize": lambda: rng.choice(PRIZES),
        "investor": lambda: rng.choice(INVESTORS), "persons": lambda: str(rng.choice([5, 12, 20, 35, 60, 90])),
        "cert": lambda: rng.choice(CERTS), "tech": lambda: rng.choice(TECHS),
        "day": lambda: str(rng.randint(1, 28)), "pct": lambda: str(rng.randint(3, 60)),
    }

    def replace(m: re.Match[str]) -> str:
        make = values.get(m.group(1))
        return make() if make else m.group(0)  # {F} is the firm's, filled later

    # particles after a field ({agency}이, {product}을) are fixed by the value's final sound
    def fix(m: re.Match[str]) -> str:
        if m.group(1) not in values:
            return m.group(0)
        value, particle = values[m.group(1)](), m.group(2)
        pair = ("으로", "로") if particle == "으로" else _particle_pair(particle)
        return josa(value, pair) if pair else value + particle

    text = re.sub(r"\{(\w+)\}(으로|은|이|을|과)", fix, template)
    return re.sub(r"\{(\w+)\}", replace, text)


def generate(count: int, seed: int = 20240911) -> Corpus:
    """`count` articles (deterministic for a seed)."""
    rng = random.Random(seed)
    pool = load_pool()
    sentences = pool["sentences"]
    with_slot = [s for s in sentences if SLOT in s["text"]]
    plain = [s for s in sentences if SLOT not in s["text"]]
    pool_titles = pool["titles"]
    firms = load_firms()
    rng.shuffle(firms)
    weights = list(accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(firms))))
    start = date(2023, 1, 1)
    records: list[dict[str, Any]] = []
    firm_articles: dict[str, set[int]] = {}
    for index in range(count):
        if records and rng.random() < 0.2:
            record = _rewrite(records[rng.randrange(max(0, len(records) - 300), len(records))], rng, index)
        else:
            record = _article(index, rng, firms, weights, with_slot, plain, pool_titles, start, max(count, 100_000))
        records.append(record)
        for org in record["organizations"]:
            if org["kind"] == "firm":
                firm_articles.setdefault(org["name"], set()).add(index)
    return Corpus(records, firms, firm_articles)


def _article(index: int, rng: random.Random, firms: list[str], weights: list[float],
             with_slot: list[dict], plain: list[dict], pool_titles: list[str], start: date,
             span: int = 100_000) -> dict[str, Any]:
    main = rng.choices(firms, cum_weights=weights)[0]
    writer = _Writer()
    kind, lead = rng.choice(LEADS)
    lead_text, spans = _fill_firm(_fill_fields(lead, rng, writer.others), main, rng)
    writer.add(lead_text, spans)
    for _ in range(rng.randint(5, 12)):
        if rng.random() < 0.25:
            sentence = rng.choice(with_slot)
            firm = main if rng.random() < 0.5 else rng.choices(firms, cum_weights=weights)[0]
            text, spans = _fill_firm(sentence["text"], firm, rng)
        else:
            sentence = rng.choice(plain)
            text, spans = sentence["text"], []
        for name, org_kind in sentence["orgs"]:
            writer.others.setdefault(name, org_kind)
        writer.add(text, spans)
    if rng.random() < 0.7:
        title = _fill_fields(rng.choice(TITLES), rng, writer.others).replace("{F}", main)
    else:
        title = rng.choice(pool_titles)
    body = writer.body()
    # crawled in order: dates follow the storage order over two years (for `span` articles: 100,000 or
    # the count when larger, so a corpus of 100k or fewer keeps its dates), ± a few days
    jitter = rng.randrange(730) % 7 - 3  # the draw the first version made, kept so texts stay the same
    day = start + timedelta(days=max(0, min(729, index * 730 // span + jitter)))
    achievements = []
    if kind:
        achievements.append({"type": kind, "organization": main, "amount": None, "date": day.isoformat(),
                             "evidence": lead_text[:80], "span": [0, len(lead_text)], "confidence": 0.9,
                             "scope": "firm"})
    orgs = [{"name": n, "kind": "firm", **v} for n, v in writer.firms.items()]
    for name, org_kind in writer.others.items():
        found = body.find(name)
        if found >= 0:
            orgs.append({"name": name, "kind": org_kind, "surface": [name],
                         "mentions": [[found, found + len(name)]]})
    outlet = rng.choice(OUTLETS)
    return {
        "url": f"https://outlet{OUTLETS.index(outlet)}.news.example/article/{index}",
        "outlet": outlet,
        "title": title,
        "body": body,
        "published_at": f"{day.isoformat()}T{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}:00+09:00",
        "authors": [],
        "organizations": orgs,
        "achievements": achievements,
    }


def _rewrite(original: dict[str, Any], rng: random.Random, index: int) -> dict[str, Any]:
    """Another outlet's version of an earlier article: same facts, edited lead and ending."""
    sentences = re.split(r"(?<=다\.) ", original["body"])
    if len(sentences) > 3 and rng.random() < 0.5:
        sentences = sentences[:-1]
    body = " ".join(sentences)
    body = body.replace("밝혔다.", rng.choice(["밝혔다.", "전했다.", "설명했다."]), 1)
    outlet = rng.choice([o for o in OUTLETS if o != original["outlet"]])
    published = date.fromisoformat(original["published_at"][:10]) + timedelta(days=rng.randint(0, 2))
    orgs = []
    for org in original["organizations"]:  # mentions shift with the edits: recompute
        mentions = [[m.start(), m.end()] for s in org["surface"] for m in re.finditer(re.escape(s), body)]
        if mentions:
            orgs.append({**org, "mentions": sorted(mentions)})
    title = original["title"] if rng.random() < 0.3 else original["title"].replace(",", "…", 1) + " 눈길"
    return {
        **original,
        "url": f"https://outlet{OUTLETS.index(outlet)}.news.example/article/{index}",
        "outlet": outlet,
        "title": title,
        "body": body,
        "published_at": f"{published.isoformat()}{original['published_at'][10:]}",
        "organizations": orgs,
    }


# ---------------------------------------------------------------- the terms cache


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


class TermsCache:
    """Kiwi terms (token text, compound text) by text hash, in an SQLite file."""

    def __init__(self, path: Path = TERMS_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path)
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS terms (key TEXT PRIMARY KEY, tokens TEXT, compounds TEXT) WITHOUT ROWID"
        )

    def missing(self, texts: Iterable[str]) -> list[str]:
        unique = {text_key(t): t for t in texts}
        have = set()
        keys = list(unique)
        for i in range(0, len(keys), 900):
            chunk = keys[i : i + 900]
            have.update(r[0] for r in self.conn.execute(
                f"SELECT key FROM terms WHERE key IN ({','.join('?' * len(chunk))})", chunk))
        return [unique[k] for k in keys if k not in have]

    def add(self, texts: list[str], workers: int = 1, batch: int = 500, report: bool = True) -> None:
        from nlp.terms import analyze_many

        started = time.monotonic()
        done = 0
        for i in range(0, len(texts), batch):
            chunk = texts[i : i + batch]
            rows = [(text_key(t), terms.text(), terms.compound_text())
                    for t, terms in zip(chunk, analyze_many(chunk, workers))]
            self.conn.executemany("INSERT OR REPLACE INTO terms VALUES (?, ?, ?)", rows)
            self.conn.commit()
            done += len(chunk)
            if report:
                rate = done / max(1e-9, time.monotonic() - started)
                print(f"  analysed {done}/{len(texts)} texts ({rate:.0f}/s)", file=sys.stderr, flush=True)

    def add_by_word(self, texts: list[str], workers: int = 1, batch: int = 50_000) -> int:
        """Terms of `texts` composed from the terms of their space-separated words, each distinct
        word analysed by Kiwi once: how a corpus of a million articles gets its terms in minutes
        rather than hours (Kiwi reads about 85 articles/s per thread). Terms are word-local
        (compounds join nouns written without a space, nlp/terms.py), so the composition differs
        from a whole-text analysis only where Kiwi's reading of a word depends on its neighbours:
        `agreement()` measures how often. Returns the number of distinct words analysed."""
        started = time.monotonic()
        by_word = word_terms(texts, workers)
        print(f"  analysed {len(by_word)} distinct words in {time.monotonic() - started:.0f} s", file=sys.stderr,
              flush=True)
        for i in range(0, len(texts), batch):
            rows = [(text_key(t), *composed_terms(t, by_word)) for t in texts[i : i + batch]]
            self.conn.executemany("INSERT OR REPLACE INTO terms VALUES (?, ?, ?)", rows)
            self.conn.commit()
        return len(by_word)

    def get(self, text: str) -> tuple[str, str] | None:
        row = self.conn.execute("SELECT tokens, compounds FROM terms WHERE key = ?", (text_key(text),)).fetchone()
        return None if row is None else (row[0], row[1])

    def close(self) -> None:
        self.conn.close()


def word_terms(texts: list[str], workers: int = 1) -> dict[str, Any]:
    """Kiwi's terms of every distinct space-separated word of `texts`, each analysed once."""
    from nlp.terms import analyze_many

    words = sorted({w for t in texts for w in t.split()})
    return dict(zip(words, analyze_many(words, workers)))


def composed_terms(text: str, by_word: dict[str, Any]) -> tuple[str, str]:
    """(tokens, compounds) text of `text` from its words' terms (TermsCache.add_by_word)."""
    tokens: list[str] = []
    compounds: list[str] = []
    for word in text.split():
        terms = by_word[word]
        tokens += terms.tokens
        compounds += terms.compounds
    return " ".join(tokens), " ".join(compounds)


def agreement(records: list[dict[str, Any]]) -> dict[str, float]:
    """How often word-composed terms equal Kiwi's analysis of the whole text, over `records`
    (titles and bodies): the share of texts with identical tokens, and of tokens in common."""
    from nlp.terms import analyze_many

    texts = [t for r in records for t in (r["title"], r["body"])]
    whole = [terms.text().split() for terms in analyze_many(texts, 1)]
    by_word = word_terms(texts)
    same = common = total = 0
    for text, expected in zip(texts, whole):
        got = composed_terms(text, by_word)[0].split()
        same += got == expected
        shared = sum((Counter(got) & Counter(expected)).values())
        common += shared
        total += max(len(got), len(expected))
    return {"texts": len(texts), "identical": round(same / len(texts), 3), "tokens_shared": round(common / total, 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--analyse", action="store_true", help="fill the Kiwi terms cache")
    parser.add_argument("--workers", type=int, default=1, help="Kiwi threads (1 leaves a core free)")
    parser.add_argument("--by-word", action="store_true",
                        help="with --analyse: compose each text's terms from its words' (minutes for a million "
                             "articles; see TermsCache.add_by_word)")
    parser.add_argument("--agreement", type=int, default=0, metavar="N",
                        help="compare word-composed terms with whole-text analysis on the last N articles")
    parser.add_argument("--sample", type=int, default=0, help="print N generated articles")
    args = parser.parse_args(argv)
    started = time.monotonic()
    corpus = generate(args.count)
    chars = sum(len(r["title"]) + len(r["body"]) for r in corpus.records)
    print(f"generated {len(corpus.records)} articles, {chars / len(corpus.records):.0f} chars each, "
          f"{len(corpus.firm_articles)} firms, in {time.monotonic() - started:.1f} s", file=sys.stderr)
    for record in corpus.records[: args.sample]:
        print(json.dumps(record, ensure_ascii=False, indent=1))
    if args.analyse:
        cache = TermsCache()
        texts = [t for r in corpus.records for t in (r["title"], r["body"])]
        todo = cache.missing(texts)
        print(f"{len(todo)} of {len(set(texts))} texts need Kiwi", file=sys.stderr)
        started = time.monotonic()
        if args.by_word:
            cache.add_by_word(todo, args.workers)
        else:
            cache.add(todo, args.workers)
        if todo:
            print(f"analysed {len(todo)} texts in {time.monotonic() - started:.0f} s "
                  f"({len(todo) / (time.monotonic() - started):.0f}/s)", file=sys.stderr)
        cache.close()
    if args.agreement:
        print(json.dumps(agreement(corpus.records[-args.agreement:])), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
