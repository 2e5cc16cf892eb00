"""Held articles on the enrich side: un-acked until their verdict, let go when their partition moves."""

from __future__ import annotations

from dataclasses import dataclass, field

from service.domain.messages import Origin, Staged
from service.domain.records import Article, CleanedText
from service.stream.join import EarlyVerdicts, HeldArticles


@dataclass
class FakeMessage:
    tp: str
    refcount: int = 1
    acked: bool = False

    def incref(self) -> None:
        self.refcount += 1


@dataclass
class FakeEvent:
    """Faust's event ack: one reference less, the offset committable at zero."""

    message: FakeMessage = field(default_factory=lambda: FakeMessage("work-0"))

    def ack(self) -> None:
        self.message.refcount -= 1
        self.message.acked = self.message.refcount == 0


QUESTION = ("staged-dedup", b"request")


def staged(article_id: str) -> Staged:
    origin = Origin("articles.raw", 0, 7, None, "e30=")
    return Staged(Article(article_id, ""), CleanedText("text"), "en", 1.0, origin, b"fp")


def test_a_held_article_stays_unacked_after_its_batch_until_settled() -> None:
    held, event = HeldArticles(), FakeEvent()
    held.hold(staged("a"), event, QUESTION, now=0.0)
    event.ack()  # the end of the batch that read it
    assert not event.message.acked and len(held) == 1
    hold = held.settle("a", "dedup")
    assert hold is not None
    hold.release()
    assert event.message.acked and len(held) == 0


def test_a_repeated_verdict_finds_nothing_to_settle() -> None:
    held = HeldArticles()
    held.hold(staged("a"), FakeEvent(), QUESTION, now=0.0)
    assert held.settle("a", "dedup") is not None
    assert held.settle("a", "dedup") is None


def test_a_repeated_article_replaces_the_older_hold() -> None:
    held, first, second = HeldArticles(), FakeEvent(), FakeEvent()
    assert held.hold(staged("a"), first, QUESTION, now=0.0) is None
    older = held.hold(staged("a"), second, QUESTION, now=1.0)
    assert older is not None and older.event is first
    assert len(held) == 1 and held.settle("a", "dedup") is not None


def test_articles_of_a_lost_partition_are_let_go_unacked() -> None:
    held = HeldArticles()
    held.hold(staged("a"), FakeEvent(FakeMessage("work-0")), QUESTION, now=0.0)
    kept = FakeEvent(FakeMessage("work-1"))
    held.hold(staged("b"), kept, QUESTION, now=0.0)
    assert held.forget(["work-0"]) == 1
    assert held.settle("a", "dedup") is None and held.settle("b", "dedup") is not None


def test_overdue_articles_are_listed_once_per_interval() -> None:
    held = HeldArticles()
    held.hold(staged("a"), FakeEvent(), QUESTION, now=0.0)
    held.hold(staged("b"), FakeEvent(), QUESTION, now=50.0)
    assert [h.staged.article.id for h in held.overdue(now=70.0, after=60.0)] == ["a"]
    assert held.overdue(now=80.0, after=60.0) == []  # "a" was just asked again


def test_a_settled_article_waits_again_for_its_story_and_ignores_a_repeated_dedup_verdict() -> None:
    held, event = HeldArticles(), FakeEvent()
    held.hold(staged("a"), event, QUESTION, now=0.0)
    hold = held.settle("a", "dedup")
    assert hold is not None
    held.wait(hold, "story", ("staged-stories", b"place it"), now=5.0)
    assert held.settle("a", "dedup") is None  # a repeated dedup verdict
    assert held.overdue(now=70.0, after=60.0)[0].question == ("staged-stories", b"place it")
    assert held.settle("a", "story") is hold and not event.message.acked


def test_an_early_verdict_waits_unacked_for_its_article_and_is_handed_over_unacked() -> None:
    early, event = EarlyVerdicts(), FakeEvent()
    early.keep("a", "verdict on a", event, now=0.0)
    event.ack()  # the end of the batch that read it
    assert not event.message.acked
    taken = early.take("a")
    assert taken is not None and taken.verdict == "verdict on a" and not event.message.acked
    assert early.take("a") is None


def test_the_verdict_that_settled_an_article_stays_unacked_until_the_article_is_done() -> None:
    held, article, verdict = HeldArticles(), FakeEvent(), FakeEvent(FakeMessage("verdicts-0"))
    held.hold(staged("a"), article, QUESTION, now=0.0)
    article.ack()
    hold = held.settle("a", "dedup")
    assert hold is not None
    hold.keep_verdict(verdict)
    verdict.ack()  # the end of the batch that read the verdict
    held.wait(hold, "story", ("staged-stories", b"place it"), now=1.0)
    assert not verdict.message.acked and not article.message.acked  # a crash now re-reads both
    hold.release()
    assert verdict.message.acked and article.message.acked


def test_an_early_verdict_whose_article_never_comes_is_let_go() -> None:
    early, event = EarlyVerdicts(), FakeEvent()
    early.keep("a", "a repeat", event, now=0.0)
    event.ack()
    assert early.expire(now=60.0, after=120.0) == 0
    assert early.expire(now=121.0, after=120.0) == 1
    assert event.message.acked and len(early) == 0


def test_an_article_out_at_the_nlp_stage_is_let_go_with_its_partition() -> None:
    held = HeldArticles()
    for article_id, tp in (("a", "work-0"), ("b", "work-1")):
        held.hold(staged(article_id), FakeEvent(FakeMessage(tp)), QUESTION, now=0.0)
    out = [held.settle(article_id, "dedup") for article_id in ("a", "b")]
    for hold in out:
        assert hold is not None
        held.send_away(hold)
    assert len(held) == 2  # still this worker's while out
    assert held.forget(["work-0"]) == 1
    lost, kept = out
    assert lost is not None and kept is not None
    assert not held.come_back(lost) and held.come_back(kept)
    assert len(held) == 0


def test_a_repeated_record_out_beside_the_first_comes_back_on_its_own() -> None:
    held = HeldArticles()
    held.hold(staged("a"), FakeEvent(), QUESTION, now=0.0)
    first = held.settle("a", "dedup")
    assert first is not None
    held.send_away(first)
    held.hold(staged("a"), FakeEvent(), QUESTION, now=1.0)
    second = held.settle("a", "dedup")
    assert second is not None and second is not first
    held.send_away(second)
    assert held.come_back(first) and held.come_back(second)


def test_as_the_worker_stops_or_rebalances_every_held_article_and_verdict_is_let_go_unacked() -> None:
    held, early = HeldArticles(), EarlyVerdicts()
    waiting, away, verdict = FakeEvent(FakeMessage("work-0")), FakeEvent(FakeMessage("work-1")), FakeEvent()
    held.hold(staged("a"), waiting, QUESTION, now=0.0)
    held.hold(staged("b"), away, QUESTION, now=0.0)
    out = held.settle("b", "dedup")
    assert out is not None
    out.keep_verdict(verdict)
    held.send_away(out)
    early_event = FakeEvent(FakeMessage("verdicts-1"))
    early.keep("c", "verdict on c", early_event, now=0.0)

    let_go = held.let_go()
    assert {id(m) for m in let_go} == {id(waiting.message), id(away.message), id(verdict.message)}
    assert early.let_go() == [early_event.message]
    assert len(held) == 0 and len(early) == 0 and not held.come_back(out)
    assert not any(m.acked for m in (*let_go, early_event.message))  # never committed: read again
