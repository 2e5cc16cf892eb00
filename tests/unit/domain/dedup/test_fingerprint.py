import pytest

from service.domain.dedup.fingerprint import MAX_SAMPLE, SAMPLE_MODULUS, Fingerprint, fingerprint

STORY = (
    "The Federal Reserve held interest rates steady on Wednesday and policymakers signalled they still "
    "expect to cut borrowing costs three times by the end of the year despite a bumpy start on inflation. "
    "Fed Chair Jerome Powell told reporters that recent readings on consumer prices had been higher than expected."
)


def test_spelling_variants_share_the_exact_digest() -> None:
    assert fingerprint("أعلنَ الرئيس، «اليوم»").exact == fingerprint("اعلن الرييس اليوم").exact


def test_sample_is_sorted_unique_sampled_and_bounded() -> None:
    fp = fingerprint(" ".join(f"word{n}" for n in range(2000)))
    assert list(fp.sample) == sorted(set(fp.sample))
    assert all(0 <= h < 2**32 and h % SAMPLE_MODULUS == 0 for h in fp.sample)
    assert len(fp.sample) == MAX_SAMPLE
    assert fp.shingle_count > len(fp.sample)


def test_sampling_is_consistent_so_a_truncation_samples_a_subset() -> None:
    full, opening = fingerprint(STORY), fingerprint(STORY.split(". ")[0])
    assert opening.sample and set(opening.sample) <= set(full.sample)


def test_bytes_round_trip() -> None:
    fp = fingerprint(STORY)
    assert Fingerprint.from_bytes(fp.to_bytes()) == fp
    empty = fingerprint("")
    assert Fingerprint.from_bytes(empty.to_bytes()) == empty


def test_from_bytes_rejects_unknown_version_and_truncation() -> None:
    data = fingerprint(STORY).to_bytes()
    with pytest.raises(ValueError, match="version"):
        Fingerprint.from_bytes(b"\x09" + data[1:])
    with pytest.raises(ValueError, match="declares"):
        Fingerprint.from_bytes(data[:-1])
    with pytest.raises(ValueError, match="at least"):
        Fingerprint.from_bytes(b"\x01")


def test_deterministic_across_calls() -> None:
    assert fingerprint(STORY) == fingerprint(STORY)


def test_identical_across_processes_with_different_hash_seeds() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[4]
    script = (
        "import sys; from service.domain.dedup.fingerprint import fingerprint; "
        "sys.stdout.write(fingerprint(sys.stdin.read()).to_bytes().hex())"
    )
    text = STORY + " أعلنت المحكمة العليا أن الخميس أول أيام رمضان لعام ١٤٤٤ هجرية، و5.25% في 2024."
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], input=text, capture_output=True, text=True, check=True, cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert outputs == {fingerprint(text).to_bytes().hex()}
    assert fingerprint(text).numbers  # the digits were seen, so the comparison covers them


def test_version_1_records_are_still_read() -> None:
    import struct

    fp = fingerprint(STORY)
    v1 = struct.pack("<BI16sH", 1, fp.shingle_count, fp.exact, len(fp.sample)) + b"".join(
        h.to_bytes(4, "little") for h in fp.sample
    )
    old = Fingerprint.from_bytes(v1)
    assert (old.exact, old.sample, old.shingle_count) == (fp.exact, fp.sample, fp.shingle_count)
    assert old.opening is None and old.numbers is None
    assert old.to_bytes() == v1


def test_numbers_are_keyed_by_their_context() -> None:
    this_year = fingerprint("the festival opened in 2024 with a parade")
    last_year = fingerprint("the festival opened in 2023 with a parade")
    assert this_year.numbers and last_year.numbers
    contexts = {n >> 32 for n in this_year.numbers}
    assert contexts == {n >> 32 for n in last_year.numbers} and this_year.numbers != last_year.numbers
