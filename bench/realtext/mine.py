"""Mine passages that name organisations from text other people wrote, for hand labelling.

Writes unlabelled rows (`{"id", "doc", "source", "text", "published_at", "split"}`) that a
labeller turns into the `eval extract` gold format. Selection never looks at what newsmine
predicts: a passage is taken when it holds a business cue (an achievement word, a legal form,
a word such as 업체/기업/회사) or a name from the KRX list or konec's organisation forms, so
the set is not biased toward what the rules already find.

The split is fixed by the source document: `dev` when the first byte of sha1(doc) is even,
`test` otherwise. Sentences of one article never straddle the split.

    python bench/realtext/mine.py --out bench/realtext/unlabelled.jsonl
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--round", type=int, choices=(1, 2), default=1)
    parser.add_argument("--taken", type=Path, help="round 2: the round-1 rows, whose texts are not taken again")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cues = Cues()
    rows = (replay_pages(cues) + rss_items(cues) + press_releases(cues) + wikinews(cues, rng, 130)
            + klue_raw(cues, rng, 300) + ud_news(cues, rng, 30))
    if args.round == 2:
        taken = {json.loads(line)["text"] for line in args.taken.read_text(encoding="utf-8").splitlines()}
        rows = achievement_rich(cues, taken)
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
