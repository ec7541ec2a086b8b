"""Crawl the demo district as every demo user and count what they would trip over
(403 behind a shown link, 500, English message ids or codes in Chinese pages).

    .venv/bin/python benchmarks/role_crawl.py [--people 2000] [--database /tmp/crawl.sqlite3]

Builds the demo into the given SQLite file the first time. The test suite runs the same
crawler (tests/crawler.py) on a small demo district."""

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--database", default="/tmp/minsheng-crawl.sqlite3")
    parser.add_argument("--limit", type=int, default=60, help="pages per user")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "minsheng.config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{args.database}"
    fresh = not Path(args.database).exists()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if fresh:
        call_command("migrate", "-v", "0")
        from minsheng.demo.build import build_demo

        build_demo(people=args.people, seed=7)
    from tests.crawler import CrawlResult, crawl

    from minsheng.core.models import User

    total = CrawlResult()
    names = frozenset(User.objects.values_list("username", flat=True))
    for user in User.objects.order_by("pk"):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(user)
        before = len(total.problems)
        crawl(client, user.username, result=total, limit=args.limit, names=names)
        print(f"{user.username:12} problems {len(total.problems) - before}")
    print(f"users {User.objects.count()}, distinct pages {len(total.visited)}, "
          f"problems {len(total.problems)}: {dict(Counter(p.kind for p in total.problems))}")
    for p in total.problems:
        print(f"  {p.role} {p.kind} {p.url} {p.detail} <- {p.came_from}")


if __name__ == "__main__":
    main()
