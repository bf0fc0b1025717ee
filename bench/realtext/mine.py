"""Mine passages that name organisations from text other people wrote, for hand labelling.

Writes unlabelled rows (`{"id", "doc", "source", "text", "published_at", "split"}`) that a
labeller turns into the `eval extract` gold format. Selection never looks at what newsmine
predicts: a passage is taken when it holds a business cue (an achievement word, a legal form,
a word such as 업체/기업/회사) or a name from the KRX list or konec's organisation forms, so
the set is not biased toward what the rules already find.

The split is fixed by the source document: `dev` when the first byte of sha1(doc) is even,
`test` otherwise. Sentences of one article never straddle the split.

    python bench/realtext/mine.py --out bench/realtext/unlabelled.jsonl
    python bench/realtext/mine.py --round 3 --taken tests/data/realtext/dev.jsonl \
        tests/data/realtext/test.jsonl --out bench/realtext/round3.jsonl
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"

BUSINESS = re.compile(
    r"㈜|\(주\)|주식회사|유한회사|영농조합|농업회사법인|협동조합|계약|수주|납품|낙찰|선정|투자|매출|수출|특허|인증|"
    r"업무협약|협약|MOU|출시|채용|수상|대상을|기업|업체|회사|그룹|브랜드|제조|공장|법인|은행|증권|유통|상장"
)
ACHIEVEMENT = re.compile(r"계약|수주|납품|낙찰|선정|투자|매출|수출|특허|인증|협약|MOU|출시|채용|수상|대상을|유치")


# Round 2: a predicate that states an achievement as done, to add achievement-bearing passages
# (the first round, chosen by cue words, held few).
DONE = re.compile(
    r"(계약|협약|MOU|양해각서)[을를]?\s?(체결|맺)|선정(됐|되었|돼|되어|했|하였)|(수주|납품|낙찰)(했|하였|해|받)|"
    r"매출[이은액]?\s?.{0,15}(억|조)|투자[를]?\s?유치|(출시|선보)(였|했|하였)|수상(했|하였)|대상을 (받|차지|수상)|"
    r"채용(했|하였)|특허[를]?\s?(취득|등록|획득)|인증[을]?\s?(획득|받)|수출(했|하였)|(인수|투자)(했|하였|한다)|"
    r"지정(됐|되었|했)|공급(했|하였|한다)"
)


def split_of(doc: str) -> str:
    return "dev" if hashlib.sha1(doc.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def org_names() -> list[str]:
    names: set[str] = set()
    with (SHARED / "gazetteer" / "krx_companies.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if len(row["name"]) >= 2:
                names.add(row["name"])
    with (SHARED / "konec-forms" / "ne_form_label_freq.tsv").open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if cols[1].startswith("OG") and len(cols[0]) >= 2:
                names.add(cols[0])
    return sorted(names, key=len, reverse=True)


class Cues:
    def __init__(self) -> None:
        names = org_names()
        self.names = re.compile("|".join(re.escape(n) for n in names))

    def score(self, text: str) -> int:
        """0: no organisation cue; 1: a name or a business word; 2: an achievement word too."""
        has_org = bool(self.names.search(text)) or bool(BUSINESS.search(text))
        if not has_org:
            return 0
        return 2 if ACHIEVEMENT.search(text) else 1


def sentences(text: str) -> list[str]:
    from kiwipiepy import Kiwi

    global _KIWI
    try:
        kiwi = _KIWI
    except NameError:
        kiwi = _KIWI = Kiwi()
    out = []
    for paragraph in re.split(r"\n+", text):
        paragraph = paragraph.strip()
        if paragraph:
            out.extend(s.text.strip() for s in kiwi.split_into_sents(paragraph) if s.text.strip())
    return out


def passages(doc_sentences: list[str], cues: Cues, max_chars: int = 420) -> list[str]:
    """Windows of up to three consecutive sentences around sentences with a cue."""
    found, i = [], 0
    while i < len(doc_sentences):
        if cues.score(doc_sentences[i]) == 0 or len(doc_sentences[i]) < 15:
            i += 1
            continue
        window = [doc_sentences[i]]
        j = i + 1
        while j < len(doc_sentences) and len(window) < 3 and sum(map(len, window)) + len(doc_sentences[j]) <= max_chars \
                and cues.score(doc_sentences[j]) > 0:
            window.append(doc_sentences[j])
            j += 1
        found.append(" ".join(window))
        i = j
    return found


def klue_raw(cues: Cues, rng: random.Random, want: int) -> list[dict]:
    rows = []
    for line in (SHARED / "klue-raw" / "train-news-sentences.tsv").read_text(encoding="utf-8").splitlines():
        sid, text = line.split("\t", 1)
        score = cues.score(text)
        if score and len(text) >= 20:
            rows.append((score, sid, text))
    strong = [r for r in rows if r[0] == 2]
    weak = [r for r in rows if r[0] == 1]
    rng.shuffle(strong)
    rng.shuffle(weak)
    take = strong[: int(want * 0.65)] + weak[: want - int(want * 0.65)]
    return [{"id": f"klue:{sid}", "doc": f"klue:{sid}", "source": "klue-raw", "text": text, "published_at": None}
            for _, sid, text in take]


def wikinews(cues: Cues, rng: random.Random, want: int) -> list[dict]:
    csv.field_size_limit(10**9)
    with (SHARED / "wikinews" / "wikinews.csv").open(encoding="utf-8") as handle:
        articles = list(csv.DictReader(handle))
    business = [a for a in articles if len(ACHIEVEMENT.findall(a["내용"])) >= 2 and BUSINESS.search(a["제목"] + a["내용"])]
    rng.shuffle(business)
    rows: list[dict] = []
    for article in business:
        doc = "wikinews:" + article["출처"].rsplit("/", 1)[-1]
        found = [p for p in passages(sentences(article["내용"]), cues) if cues.score(p) == 2] or \
            passages(sentences(article["내용"]), cues)
        for k, text in enumerate(found[:3]):
            rows.append({"id": f"{doc}#{k}", "doc": doc, "source": "wikinews", "url": article["출처"], "text": text,
                         "published_at": article["작성일"] or None})
        if len(rows) >= want:
            break
    return rows[:want]


def replay_pages(cues: Cues) -> list[dict]:
    from pipelines.extract import extract_article

    manifest = ROOT / "data" / "replay" / "MANIFEST.tsv"
    rows: list[dict] = []
    with manifest.open(encoding="utf-8") as handle:
        for entry in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if entry["kind"] != "article" or "newsstep" in entry["file"]:
                continue   # newsstep pages were written here around the seed
            raw = (ROOT / "data" / "replay" / entry["file"]).read_bytes()
            try:
                article = extract_article(raw, entry["url"])
            except Exception:   # noqa: BLE001 - a page that does not extract gives no passages
                continue
            doc = "page:" + entry["file"]
            found = passages(sentences(article.body), cues)
            # business passages first; a page about politics or sport gives two at most
            chosen = [p for p in found if cues.score(p) == 2][:5] + [p for p in found if cues.score(p) == 1][:2]
            for k, text in enumerate(chosen):
                rows.append({"id": f"{doc}#{k}", "doc": doc, "source": "html-samples", "url": entry["url"],
                             "text": text, "published_at": (article.published_at or "")[:10] or None})
    return rows


def rss_items(cues: Cues) -> list[dict]:
    """Firms' own press releases in the archive's Korean RSS feed (title + description)."""
    rows: list[dict] = []
    manifest = ROOT / "data" / "replay" / "MANIFEST.tsv"
    with manifest.open(encoding="utf-8") as handle:
        for entry in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if entry["kind"] != "rss":
                continue
            raw = (ROOT / "data" / "replay" / entry["file"]).read_bytes().decode(entry.get("encoding") or "utf-8", "replace")
            for item in re.findall(r"<item>(.*?)</item>", raw, flags=re.S):
                link = re.search(r"<link>(.*?)</link>", item, flags=re.S)
                body = re.search(r"<description>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</description>", item, flags=re.S)
                if not (link and body):
                    continue
                doc = "rss:" + link.group(1).strip().replace("&amp;", "&")
                text = re.sub(r"<[^>]+>", " ", body.group(1))
                text = re.sub(r"\s+", " ", text).strip()
                found = passages(sentences(text), cues)
                for k, passage in enumerate(found[:2]):
                    rows.append({"id": f"{doc}#{k}", "doc": doc, "source": "html-samples", "url": link.group(1).strip(),
                                 "text": passage, "published_at": None})
    return rows


def press_releases(cues: Cues) -> list[dict]:
    folder = SHARED / "press-attachments"
    rows: list[dict] = []
    for path in sorted(folder.glob("*.hwpx")):
        if path.name.startswith("edge_"):
            continue
        try:
            with zipfile.ZipFile(path) as archive:
                xml = "".join(archive.read(n).decode("utf-8", "replace") for n in sorted(archive.namelist())
                              if re.match(r"Contents/section\d+\.xml$", n))
        except (zipfile.BadZipFile, KeyError):
            continue
        paragraphs = []
        for para in re.findall(r"<hp:p[ >].*?</hp:p>", xml, flags=re.S):
            text = "".join(re.findall(r"<hp:t[^>]*>(.*?)</hp:t>", para, flags=re.S))
            text = re.sub(r"<[^>]+>", "", text)
            if text.strip():
                paragraphs.append(text.strip())
        doc = "press:" + path.stem
        found = [p for p in passages(sentences("\n".join(paragraphs)), cues) if cues.score(p) == 2]
        for k, text in enumerate(found[:4]):
            rows.append({"id": f"{doc}#{k}", "doc": doc, "source": "press-attachments", "file": path.name,
                         "text": text, "published_at": None})
    return rows


def ud_news(cues: Cues, rng: random.Random, want: int) -> list[dict]:
    rows = []
    for name in ("ko_kaist-ud-dev.conllu", "ko_kaist-ud-test.conllu"):
        sent_id = None
        for line in (SHARED / "ud-korean" / name).read_text(encoding="utf-8").splitlines():
            if line.startswith("# sent_id = "):
                sent_id = line.split("=", 1)[1].strip()
            elif line.startswith("# text = ") and sent_id:
                text = line.split("=", 1)[1].strip()
                if cues.score(text) == 2 and len(text) >= 25:
                    doc = "ud:" + sent_id.split("-")[0]
                    rows.append({"id": f"ud:{sent_id}", "doc": doc, "source": "ud-korean", "text": text,
                                 "published_at": None})
    rng.shuffle(rows)
    return rows[:want]


def achievement_rich(cues: Cues, taken: set[str]) -> list[dict]:
    """Round 2: klue-raw sentences, Wikinews sentences (with the sentence before) and UD
    sentences whose predicate states an achievement as done, not taken in round 1."""
    rows: list[dict] = []
    for line in (SHARED / "klue-raw" / "train-news-sentences.tsv").read_text(encoding="utf-8").splitlines():
        sid, text = line.split("\t", 1)
        if DONE.search(text) and text not in taken:
            rows.append({"id": f"klue:{sid}", "doc": f"klue:{sid}", "source": "klue-raw", "text": text,
                         "published_at": None})
    csv.field_size_limit(10**9)
    with (SHARED / "wikinews" / "wikinews.csv").open(encoding="utf-8") as handle:
        for article in csv.DictReader(handle):
            doc = "wikinews:" + article["출처"].rsplit("/", 1)[-1]
            found = sentences(article["내용"])
            for k, sentence in enumerate(found):
                if not DONE.search(sentence) or any(sentence in t for t in taken):
                    continue
                text = " ".join(found[max(0, k - 1):k + 1]) if k and len(found[k - 1]) + len(sentence) < 420 else sentence
                rows.append({"id": f"{doc}#r2-{k}", "doc": doc, "source": "wikinews", "url": article["출처"],
                             "text": text, "published_at": article["작성일"] or None})
    for name in ("ko_kaist-ud-dev.conllu", "ko_kaist-ud-test.conllu"):
        sent_id = None
        for line in (SHARED / "ud-korean" / name).read_text(encoding="utf-8").splitlines():
            if line.startswith("# sent_id = "):
                sent_id = line.split("=", 1)[1].strip()
            elif line.startswith("# text = ") and sent_id:
                text = line.split("=", 1)[1].strip()
                if DONE.search(text) and text not in taken:
                    rows.append({"id": f"ud:{sent_id}", "doc": "ud:" + sent_id.split("-")[0], "source": "ud-korean",
                                 "text": text, "published_at": None})
    return rows


# Round 3: lists of organisations and achievements stated as done — what users lose most.
# A list is two names joined by a separator (`,` `·` `및` `와/과`), at least one of them a KRX name
# or firm-shaped (…전자, …은행, …카드), or both organisation names in a sentence with a business
# word; or any words closed by `등 N개 기업/업체/사`. DONE_3 adds the done predicates round 2 missed.
SEPARATOR = r"\s?(?:,|·|ㆍ|및|와|과|그리고)\s?"
FIRM_SHAPED = (
    r"[가-힣A-Za-z0-9&]{0,12}(?:전자|증권|은행|카드|건설|제약|그룹|텔레콤|통신|자동차|화학|생명|보험|화재|항공|"
    r"엔터테인먼트|엔터|푸드|식품|유통|백화점|마트|중공업|물산|상사|제과|홀딩스|캐피탈|모바일|소프트|게임즈|게임스|"
    r"바이오|에너지|코리아|컴퍼니|테크|닷컴|스튜디오|미디어|자산운용|해운|조선|철강|제철|반도체|디스플레이|네트웍스|"
    r"시스템즈?|솔루션|금융)"
)
LIST_CLOSE = re.compile(
    r"등\s?(?:\d+|[일이삼사오육칠팔구십백]+|여러|다수)\s?(?:여\s?)?(?:개|곳)?\s?(?:사(?!단|람|건|고|망|령|업)|개사|기업|업체|"
    r"회사|社|협력사|스타트업|브랜드|은행|증권사|카드사|계열사|기관)|등(?:의)?\s(?:기업|업체|회사|대기업|중소기업|협력사|"
    r"계열사|스타트업|은행|증권사|카드사|대형마트)"
)
DONE_3 = re.compile(
    DONE.pattern + r"|대상을\s?차지|이름을\s?올(렸|려)|(상|대상|상패|훈장|표창)[을를]\s?(받았|받은|수상했|수여받았|차지했)|"
    r"(억|조|만)\s?(원|달러|유로|엔|위안)\s?(규모|어치)?의?\s?.{0,12}(계약|수주|공급|납품|투자|유치|매출|수출)|"
    r"투자협약|(채용|고용)(했|하였|한|됐)|특허[를을]?\s?(받|출원)|인증[을를]?\s?(취득|획득)|(론칭|개발)(했|하였)|"
    r"(수출|매출)(액|실적)[이은을]|뽑혔|(돌파|달성)(했|하였)|(출시|개발|개장|개관|준공|설립|합병|인수)(됐|되었|돼|되어|한 바)|"
    r"판매를 시작했|문을 열었|(매출|영업이익|순이익|흑자|판매량|수익|수출).{0,25}(기록|달성|올렸|거뒀|넘어섰|넘었|늘어|증가했)|"
    r"(상금|트로피)[을를]\s?(받|거머쥐|안았)|(계약|협약)(했|하였|을 맺)|내놓(았|으며|은 바)|(판매|시판)에\s?(돌입|들어갔|나섰)|"
    r"(영업이익|순이익|매출|흑자)[을를]?\s?(올렸|올려|냈|거뒀|거둬)|흑자\s?전환|1위[를에]\s?(차지|올랐|올라)|"
    r"(계약|수주|사업)[을를]?\s?(따냈|따내|성사)|수주에\s?성공|(선정|지정|인증)[을를]?\s?받|(납품|공급|수출)[을를]?\s?(하며|해왔|해 왔|했고)|"
    r"(으로|로)부터\s?.{0,20}(인수|구매|구입|매입)(해|했|하였)"
)


class ListCue:
    """A list of organisations, by word patterns and name lists only (no model)."""

    def __init__(self, cues: Cues) -> None:
        with (SHARED / "gazetteer" / "krx_companies.csv").open(encoding="utf-8") as handle:
            self.krx = {row["name"] for row in csv.DictReader(handle) if len(row["name"]) >= 2}
        self.firm_shaped = re.compile(FIRM_SHAPED + "$")
        name = f"(?:{cues.names.pattern}|{FIRM_SHAPED}|[A-Z][A-Za-z0-9&]{{1,12}})"
        self.pair = re.compile(f"({name})(?:\\([^)]{{0,12}}\\))?{SEPARATOR}({name})")

    def __call__(self, text: str) -> bool:
        if LIST_CLOSE.search(text):
            return True
        pairs = list(self.pair.finditer(text))
        if any(name in self.krx or self.firm_shaped.match(name) for m in pairs for name in m.groups()):
            return True
        return bool(pairs) and bool(BUSINESS.search(text))


def _tiered(candidates: list[tuple[int, dict]], rng: random.Random, want: int) -> list[dict]:
    """Half lists with a done predicate (tier 0), a quarter lists only (1), a quarter done only (2);
    a tier that runs short is filled from the others in order."""
    tiers: list[list[dict]] = [[], [], []]
    for tier, row in candidates:
        tiers[tier].append(row)
    for rows in tiers:
        rng.shuffle(rows)
    quota = [want // 2, want // 4, want - want // 2 - want // 4]
    chosen = [rows[:q] for rows, q in zip(tiers, quota)]
    rest = [row for rows, q in zip(tiers, quota) for row in rows[q:]]
    out = [row for rows in chosen for row in rows]
    return out + rest[: want - len(out)]


def _tier(is_list: bool, done: bool) -> int | None:
    if is_list and done:
        return 0
    if is_list:
        return 1
    return 2 if done else None


def lists_and_deeds(cues: Cues, taken: set[str], rng: random.Random, want: int = 220) -> list[dict]:
    """Round 3: klue-raw sentences and Wikinews windows (a cue sentence with the sentence before and
    after when short enough) that hold a list of organisations and/or a done-achievement predicate,
    none overlapping a text already in the gold set; about half from each source where it has them."""
    is_list = ListCue(cues)
    klue: list[tuple[int, dict]] = []
    for line in (SHARED / "klue-raw" / "train-news-sentences.tsv").read_text(encoding="utf-8").splitlines():
        sid, text = line.split("\t", 1)
        if text in taken or len(text) < 20:
            continue
        tier = _tier(is_list(text), bool(DONE_3.search(text)) and cues.score(text) > 0)
        if tier is not None:
            klue.append((tier, {"id": f"klue:{sid}", "doc": f"klue:{sid}", "source": "klue-raw", "text": text,
                                "published_at": None}))
    wiki: list[tuple[int, dict]] = []
    csv.field_size_limit(10**9)
    with (SHARED / "wikinews" / "wikinews.csv").open(encoding="utf-8") as handle:
        articles = list(csv.DictReader(handle))
    taken_wiki = [t for t in taken if len(t) > 15]
    for article in articles:
        doc = "wikinews:" + article["출처"].rsplit("/", 1)[-1]
        found = sentences(article["내용"])
        per_doc: list[tuple[int, dict]] = []
        used: set[int] = set()
        overlaps = [any(sentence in t or t in sentence for t in taken_wiki) for sentence in found]
        for k, sentence in enumerate(found):
            tier = _tier(is_list(sentence), bool(DONE_3.search(sentence)) and cues.score(sentence) > 0)
            if tier is None or k in used or overlaps[k]:
                continue
            window = [k]
            if k and k - 1 not in used and not overlaps[k - 1] and len(found[k - 1]) + len(sentence) < 300:
                window.insert(0, k - 1)
            if k + 1 < len(found) and not overlaps[k + 1] and cues.score(found[k + 1]) > 0 \
                    and sum(len(found[i]) for i in window) + len(found[k + 1]) < 420:
                window.append(k + 1)
            used.update(window)
            per_doc.append((tier, {"id": f"{doc}#r3-{k}", "doc": doc, "source": "wikinews", "url": article["출처"],
                                   "text": " ".join(found[i] for i in window),
                                   "published_at": article["작성일"] or None}))
        wiki.extend(per_doc)
    chosen = _tiered(wiki, rng, want // 2)   # Wikinews is short of business text: KLUE fills the rest
    return chosen + _tiered(klue, rng, want - len(chosen))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--round", type=int, choices=(1, 2, 3), default=1)
    parser.add_argument("--taken", type=Path, nargs="+", default=[],
                        help="rounds 2-3: gold or mined rows whose texts are not taken again")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cues = Cues()
    taken = {json.loads(line)["text"] for path in args.taken
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    if args.round == 1:
        rows = (replay_pages(cues) + rss_items(cues) + press_releases(cues) + wikinews(cues, rng, 130)
                + klue_raw(cues, rng, 300) + ud_news(cues, rng, 30))
    elif args.round == 2:
        rows = achievement_rich(cues, taken)
    else:
        rows = lists_and_deeds(cues, taken, rng)
    seen: set[str] = set()
    with args.out.open("w", encoding="utf-8") as handle:
        for row in rows:
            if row["text"] in seen:
                continue
            seen.add(row["text"])
            row["split"] = split_of(row["doc"])
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["source"]] = counts.get(row["source"], 0) + 1
    print(len(seen), counts)


if __name__ == "__main__":
    main()
