from corpus.config import load_clean_config
from corpus.domains import DomainResolver


def test_hosts_and_path_prefixes_assign_domains_and_the_rest_is_web():
    resolve = DomainResolver(load_clean_config("configs/clean.yaml").domains)
    assert resolve("https://en.wikipedia.org/wiki/River") == "encyclopedia"
    assert resolve("https://stackoverflow.com/questions/1") == "code"
    assert resolve("https://www.gutenberg.org/ebooks/11") == "books"
    assert resolve("https://www.reddit.com/r/rivers/comments/abc") == "dialog"
    assert resolve("https://some-site.net/forum/topic-12") == "dialog"
    assert resolve("https://math.stackexchange.com/q/1") == "math"
    assert resolve("https://notwikipedia.org/wiki/x") == "web"
    assert resolve("https://news.example.com/2024/story") == "web"
    assert resolve("not a url at all") == "web"
