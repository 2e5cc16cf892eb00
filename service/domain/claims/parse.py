"""Dependency-parse refinement: the nsubj subtree of the cue verb is the speaker."""

from __future__ import annotations

from collections.abc import Sequence

from service.domain.claims.common import Draft, ParsedSentence, ParsedToken

_SUBJECT_RELS = ("nsubj", "nsubj:pass")
_PRONOUN_UPOS = "PRON"


def refine_speakers(text: str, drafts: list[Draft], parses: Sequence[ParsedSentence]) -> None:
    """Replace rule-found speakers by the parser's subject of the cue verb, when it has one."""
    for draft in drafts:
        found = _subject_span(draft.cue_span, parses)
        if found is None:
            continue
        span, is_pronoun = found
        if is_pronoun:
            continue  # keep the rule path's discourse resolution for 'he said' / 'وأضاف'
        draft.speaker, draft.speaker_span, draft.pronoun = text[span[0]:span[1]], span, False


def _subject_span(cue_span: tuple[int, int], parses: Sequence[ParsedSentence]) -> tuple[tuple[int, int], bool] | None:
    for sentence in parses:
        tokens = sentence.tokens
        verb = next((i for i, t in enumerate(tokens, 1)
                     if t.start_char < cue_span[1] and cue_span[0] < t.end_char and t.upos in ("VERB", "AUX")), None)
        if verb is None:
            continue
        subj = next((i for i, t in enumerate(tokens, 1) if t.head == verb and t.deprel in _SUBJECT_RELS), None)
        if subj is None:
            return None
        members = _subtree(tokens, subj)
        span = (min(tokens[i - 1].start_char for i in members), max(tokens[i - 1].end_char for i in members))
        return span, len(members) == 1 and tokens[subj - 1].upos == _PRONOUN_UPOS
    return None


def _subtree(tokens: tuple[ParsedToken, ...], root: int) -> set[int]:
    """The root and its descendants, without appositions/relative clauses trailing behind commas."""
    members = {root}
    changed = True
    while changed:
        changed = False
        for i, t in enumerate(tokens, 1):
            if i not in members and t.head in members and t.deprel not in ("punct", "acl:relcl", "appos", "parataxis"):
                members.add(i)
                changed = True
    return members
