import threading

from ui.cache import ResultCache


def test_computes_once_per_key_and_evicts_least_recent():
    cache, calls = ResultCache(max_entries=2), []

    def compute(k):
        return lambda: calls.append(k) or k.upper()

    assert cache.get_or_compute("a", compute("a")) == "A"
    assert cache.get_or_compute("a", compute("a")) == "A"
    cache.get_or_compute("b", compute("b"))
    cache.get_or_compute("a", compute("a"))        # a is now the most recent
    cache.get_or_compute("c", compute("c"))        # evicts b
    cache.get_or_compute("b", compute("b"))
    assert calls == ["a", "b", "c", "b"] and len(cache) == 2
    assert (cache.hits, cache.misses) == (2, 4)


def test_threads_share_results():
    cache = ResultCache()
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_compute("k", lambda: 42)))
               for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results == [42] * 8
