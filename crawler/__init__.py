"""Crawling: Scrapy spiders, middlewares and settings, plus the replay server for saved archives."""
