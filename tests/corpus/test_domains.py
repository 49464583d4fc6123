import pytest

from common.config import load_config, parse_config
from common.errors import ConfigError
from corpus.config import CleanConfig
from corpus.domains import DomainResolver


def test_hosts_and_path_prefixes_assign_domains_and_the_rest_is_web():
    resolve = DomainResolver(load_config("configs/clean.yaml", CleanConfig).domains)
    assert resolve("https://en.wikipedia.org/wiki/River") == "encyclopedia"
    assert resolve("https://stackoverflow.com/questions/1") == "code"
    assert resolve("https://www.gutenberg.org/ebooks/11") == "books"
    assert resolve("https://www.reddit.com/r/rivers/comments/abc") == "dialog"
    assert resolve("https://some-site.net/forum/topic-12") == "dialog"
    assert resolve("https://math.stackexchange.com/q/1") == "math"
    assert resolve("https://notwikipedia.org/wiki/x") == "web"
    assert resolve("https://news.example.com/2024/story") == "web"
    assert resolve("not a url at all") == "web"


def test_a_domain_rule_naming_an_unknown_domain_fails_at_start_up_naming_the_key():
    with pytest.raises(ConfigError, match=r"domains\.rules\[0\]\.domain: .*unknown domain 'forums'"):
        parse_config({"domains": {"rules": [{"domain": "forums", "hosts": ["x.org"]}]}}, CleanConfig)
    with pytest.raises(ConfigError, match=r"domains\.default: .*unknown domain 'blog'"):
        parse_config({"domains": {"default": "blog"}}, CleanConfig)
