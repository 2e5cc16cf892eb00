"""The dedup index kept in step with its changelog-backed Faust table (see table_state.py)."""

from __future__ import annotations

import struct

from service.domain.dedup.decision import Verdict, decide
from service.domain.dedup.fingerprint import Fingerprint
from service.domain.dedup.index import DedupIndex
from service.stream.table_state import TableState

_ENTRY_HEAD = struct.Struct(">dH")  # received_at, len(cluster_id)


def encode_entry(cluster_id: str, received_at: float, fp: Fingerprint) -> bytes:
    cluster = cluster_id.encode()
    return _ENTRY_HEAD.pack(received_at, len(cluster)) + cluster + fp.to_bytes()


def decode_entry(data: bytes) -> tuple[str, float, Fingerprint]:
    received_at, cluster_len = _ENTRY_HEAD.unpack_from(data)
    start = _ENTRY_HEAD.size
    cluster_id = data[start : start + cluster_len].decode()
    return cluster_id, received_at, Fingerprint.from_bytes(data[start + cluster_len :])


class DedupState(TableState[DedupIndex]):
    """Decides originals vs copies; must only be called while iterating the dedup stream."""

    name = "dedup index"

    def _empty(self) -> DedupIndex:
        return DedupIndex(self._window)

    def _rebuilt(self, entries: list[tuple[bytes, bytes]], now: float) -> DedupIndex:
        index = DedupIndex(self._window)
        for key, value in entries:
            cluster_id, received_at, fp = decode_entry(value)
            if now - received_at <= self._window:
                index.add(key.decode(), cluster_id, fp, received_at)
        return index

    def decide(self, article_id: str, fp: Fingerprint, received_at: float) -> Verdict:
        self._ready()
        verdict = decide(self._index, article_id, fp, received_at)
        key = article_id.encode()
        if not verdict.is_duplicate and key not in self._table:  # a replayed original is stored already
            self._table[key] = encode_entry(verdict.cluster_id, received_at, fp)
        return verdict
