"""The evaluator pool on its own: real evaluator processes, stopped and replaced."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from pnetkg.store.base import AnswerTooLarge, Busy, QuerySyntaxError, QueryTimeout, StoreError
from pnetkg.store.embedded import EmbeddedStore
from pnetkg.store.pool import EvaluatorPool, PooledStore

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CLAIMS = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/pnet-kg/ontology#Claim> }"


@pytest.fixture
def pooled(served_data):
    store = PooledStore(EvaluatorPool(served_data, slots=1, limit=1.0, reserve=0))
    yield store
    store.close()


def _evaluator_pids(store: PooledStore) -> list[int]:
    return [e.process.pid for e in store.pool._idle]


def test_answers_are_those_of_the_embedded_store(served_data, pooled):
    assert pooled.select(CLAIMS) == EmbeddedStore(served_data).select(CLAIMS)
    assert pooled.graph_sizes() == EmbeddedStore(served_data).graph_sizes()
    body = pooled.serialize("ASK {}", "application/sparql-results+json")
    assert b'"boolean":true' in body


def test_a_syntax_error_comes_back_with_its_position(pooled):
    with pytest.raises(QuerySyntaxError, match="line 1"):
        pooled.select("SELECT ?x WHERE { ?x }")
    assert pooled.ask("ASK {}")  # the evaluator is still there


def test_a_runaway_is_stopped_at_the_limit_and_its_evaluator_replaced(pooled):
    before = _evaluator_pids(pooled)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit of 1 s"):
        pooled.select(RUNAWAY)
    assert time.monotonic() - started < 1.5
    assert not os.path.exists(f"/proc/{before[0]}")  # killed and reaped
    deadline = time.monotonic() + 30
    while True:  # the replacement starts in the background
        try:
            assert pooled.ask("ASK {}")
            break
        except Busy:
            assert time.monotonic() < deadline, "no evaluator came back"
            time.sleep(0.1)
    assert _evaluator_pids(pooled) != before


def test_a_killed_evaluator_is_an_error_not_an_answer_and_is_replaced(pooled):
    os.kill(_evaluator_pids(pooled)[0], signal.SIGKILL)
    time.sleep(0.2)
    with pytest.raises(StoreError, match="ended without an answer"):
        pooled.select(CLAIMS)
    deadline = time.monotonic() + 30
    while True:
        try:
            assert pooled.select(CLAIMS)
            break
        except Busy:
            assert time.monotonic() < deadline, "no evaluator came back"
            time.sleep(0.1)


def test_a_call_is_refused_at_once_when_every_evaluator_is_held_by_a_long_query(pooled):
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(pooled.select, RUNAWAY)
        time.sleep(0.4)  # longer than a quick query takes: nothing to wait for
        started = time.monotonic()
        with pytest.raises(Busy):
            pooled.ask("ASK {}")
        assert time.monotonic() - started < 0.05
        with pytest.raises(QueryTimeout):
            running.result()


def test_a_burst_of_quick_queries_waits_for_the_evaluator_instead_of_failing(pooled):
    with ThreadPoolExecutor(4) as pool:  # four callers, one evaluator
        answers = list(pool.map(lambda _: pooled.ask("ASK { ?s ?p ?o }"), range(200)))
    assert answers == [True] * 200


def test_an_answer_over_the_size_limit_is_an_error_and_the_evaluator_stays(served_data):
    store = PooledStore(EvaluatorPool(served_data, slots=1, limit=5.0, reserve=0, max_answer=20_000))
    try:
        before = _evaluator_pids(store)
        with pytest.raises(AnswerTooLarge, match="over the limit of 20,000"):
            store.serialize("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "application/n-triples")
        assert store.ask("ASK {}")  # a small answer still comes back, from the same evaluator
        assert _evaluator_pids(store) == before
    finally:
        store.close()
