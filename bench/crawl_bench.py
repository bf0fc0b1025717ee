"""Crawl throughput on loopback: newsmine's crawl (+extract, +NLP) vs a bare Scrapy download.

    .venv/bin/python bench/crawl_bench.py [--articles 300] [--runs 1] [--write]

Builds a generated ND Soft site tree (tests/site_trees.py: the saved 전남일보 page as the
template, ~100 KB pages), serves it with the replay server, and times, each in a fresh
process (as a nightly crawl runs):

- `download`: a minimal Scrapy spider that fetches the same article URLs and does nothing;
- `crawl+extract`: `newsmine crawl --replay DIR --sites … --no-nlp` (discovery, extraction, store);
- `crawl+extract+nlp`: the same with the NLP stage (Kiwi, organisations, achievements).

Pages/s counts article pages stored (or downloaded) over the crawl's own duration (process
start-up and model loading excluded for the download spider; included in the crawl's
duration, which is what an operator waits for). With --write, the figures replace the
"## Crawl (loopback)" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from bench.results import write_section  # noqa: E402

DOWNLOAD_SPIDER = r'''
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess
from crawler import settings as cs

urls = json.loads(open(sys.argv[1]).read())
proxy = sys.argv[2]

class Download(scrapy.Spider):
    name = "download"
    async def start(self):
        for url in urls:
            yield scrapy.Request(url, callback=self.parse)
    def parse(self, response):
        pass

settings = {**cs.REPLAY_OVERRIDES, "REPLAY_PROXY": proxy, "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": False,
            "TELNETCONSOLE_ENABLED": False, "COOKIES_ENABLED": False}
process = CrawlerProcess(settings)
crawler = process.create_crawler(Download)
process.crawl(crawler)
start = time.monotonic()
process.start()
stats = crawler.stats.get_stats()
print(json.dumps({"seconds": time.monotonic() - start, "pages": stats.get("response_received_count", 0)}))
'''


def build(root: Path, articles: int) -> "object":
    from site_trees import build_tree, write_manifest, write_site_files

    tree = build_tree(root, "ndsoft", articles, rss=False, draft=False)
    write_manifest(root, [tree])
    write_site_files(root / "sites", [tree])
    return tree


def time_download(root: Path, urls: list[str], proxy: str) -> tuple[float, int]:
    url_file = root / "urls.json"
    url_file.write_text(json.dumps(urls), encoding="utf-8")
    script = root / "download_spider.py"
    script.write_text(DOWNLOAD_SPIDER, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(url_file), proxy], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["seconds"], result["pages"]


def time_crawl(root: Path, proxy: str, nlp: bool, workers: int | None = None) -> tuple[float, int, float]:
    db = root / f"bench-{time.monotonic_ns()}.sqlite"
    command = [sys.executable, "-m", "newsmine", "crawl", "--replay", str(root), "--sites", str(root / "sites"),
               "--db", str(db), "--json", "--replay-proxy", proxy] + ([] if nlp else ["--no-nlp"])
    start = time.monotonic()
    env = dict(os.environ)
    if workers is not None:
        env["NEWSMINE_CPU_WORKERS"] = str(workers)
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=True, env=env)
    wall = time.monotonic() - start
    report = json.loads(done.stdout.strip().splitlines()[-1])
    stored = sum(s["new"] for s in report["sources"])
    return report["duration_s"], stored, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--runs", type=int, default=1, help="repeat each measurement; medians are reported")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args()

    from crawler.manifest import Archive
    from crawler.replay import ReplayServer

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        tree = build(root, args.articles)
        urls = [a.url for a in tree.allowed]
        size = sum((root / e.file).stat().st_size for e in tree.entries if e.kind == "article") / len(urls)
        rows: dict[str, list[tuple[float, int]]] = {
            "download": [], "crawl+extract": [], "crawl+extract+nlp": [], "crawl+extract+nlp, one process": []}
        with ReplayServer(Archive.load(root)) as server:
            for _ in range(args.runs):
                rows["download"].append(time_download(root, urls, server.proxy_url))
                seconds, stored, _ = time_crawl(root, server.proxy_url, nlp=False, workers=os.cpu_count())
                rows["crawl+extract"].append((seconds, stored))
                seconds, stored, _ = time_crawl(root, server.proxy_url, nlp=True, workers=os.cpu_count())
                rows["crawl+extract+nlp"].append((seconds, stored))
                seconds, stored, _ = time_crawl(root, server.proxy_url, nlp=True, workers=0)
                rows["crawl+extract+nlp, one process"].append((seconds, stored))

    results = {}
    for name, runs in rows.items():
        seconds = statistics.median(s for s, _ in runs)
        pages = runs[0][1]
        results[name] = {"seconds": round(seconds, 2), "pages": pages, "pages_per_s": round(pages / seconds, 1)}
    base = results["download"]["pages_per_s"]
    for name, result in results.items():
        result["vs_download"] = round(result["pages_per_s"] / base, 3)
    command = f".venv/bin/python bench/crawl_bench.py --articles {args.articles} --runs {args.runs} --write"
    print(json.dumps({"articles": len(urls), "avg_page_kb": round(size / 1024, 1), "results": results}, indent=2))
    if args.write:
        write_results(results, len(urls), size, command)


def write_results(results: dict, articles: int, size: float, command: str) -> None:
    lines = [
        "## Crawl (loopback)",
        "",
        f"Command: `{command}` ({time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end: the machine is shared "
        "with other jobs, so treat the figures as lower bounds).",
        f"Generated ND Soft tree: {articles} article pages of ~{size / 1024:.0f} KB (the saved 전남일보 page as",
        "template), served by the replay server on 127.0.0.1; each measurement a fresh process.",
        "",
        "| pipeline | seconds | pages | pages/s | vs download |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {r['seconds']} | {r['pages']} | {r['pages_per_s']} | {r['vs_download']:.1%} |")
    lines += [
        "",
        "`download` is a bare Scrapy spider fetching the same URLs through the same replay download",
        "handler and doing nothing with them. The crawl rows include discovery (list pagination,",
        "sitemap), robots.txt, the store, and Kiwi/NLP model loading at start-up. The crawl rows run",
        f"extraction, NLP and search terms in {os.cpu_count()} worker processes (`NEWSMINE_CPU_WORKERS` = cores),",
        "except the last, which runs them in the crawl process (`NEWSMINE_CPU_WORKERS=0`, what the",
        "default 1 GB memory budget gives).",
        "",
    ]
    section = "\n".join(lines)
    write_section("## Crawl (loopback)", section)


if __name__ == "__main__":
    main()
