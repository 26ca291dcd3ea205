"""Certificate files read ahead by worker processes (``--jobs``) give the subjects, diagnostics and
cross-file facts of the main process reading them itself, and files whose reading depends on the rest
of the run (private keys, PKCS#12) are left to the main process."""

from __future__ import annotations

import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from pkigen import AT
from test_defects import build_tree

from tlslint.pki.load import CertEntry, read_pki_file
from tlslint.pki.scan import FileFacts, _walk
from tlslint.sources import pki_files
from tlslint.sources.base import ParseContext, ParseResult


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("ahead")
    build_tree(base)  # sound and defective certificates, chains, stores, keys of every kind
    return base


def _one_process(paths: list[str]) -> tuple[ParseResult, list[ParseResult]]:
    context = ParseContext(at=AT)
    parsed = [pki_files.parse_bytes(path, read_pki_file(path), context) for path in paths]
    return pki_files.finish(context), parsed


def _ahead(paths: list[str], read_ahead) -> tuple[ParseResult, list[ParseResult], int]:
    context = ParseContext(at=AT)
    answers = read_ahead(paths, ParseContext(at=AT))  # a worker has its own context
    parsed, taken = [], 0
    for path, ahead in zip(paths, answers, strict=True):
        if ahead is None:
            parsed.append(pki_files.parse_bytes(path, read_pki_file(path), context))
        else:
            taken += 1
            parsed.append(pki_files.adopt(ahead, context))
    return pki_files.finish(context), parsed, taken


def _in_process(paths: list[str], context: ParseContext) -> list:
    # What a worker sends back travels pickled: the main process adopts copies.
    return [pickle.loads(pickle.dumps(pki_files.read_ahead(path, context))) for path in paths]


def _read_slice(paths: list[str]) -> list:
    return [pki_files.read_ahead(path, _FORKED_CONTEXT) for path in paths]


_FORKED_CONTEXT: ParseContext | None = None


def _forked(paths: list[str], context: ParseContext) -> list:
    global _FORKED_CONTEXT
    _FORKED_CONTEXT = context
    try:
        with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
            halves = [paths[: len(paths) // 2], paths[len(paths) // 2 :]]
            return [answer for half in pool.map(_read_slice, halves) for answer in half]
    finally:
        _FORKED_CONTEXT = None


@pytest.mark.parametrize("read_ahead", [_in_process, _forked], ids=["pickled", "forked"])
def test_files_read_ahead_give_what_the_main_process_gives(tree: Path, read_ahead) -> None:
    if read_ahead is _forked and "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs fork")
    paths = _walk(str(tree))
    final_one, parsed_one = _one_process(paths)
    final_ahead, parsed_ahead, taken = _ahead(paths, read_ahead)
    key_files = [p for p in paths if b"PRIVATE KEY" in Path(p).read_bytes()]
    assert key_files and taken == len(paths) - len(key_files)  # every certificate file, no key file
    for one, ahead in zip(parsed_one, parsed_ahead, strict=True):
        # Subjects compare by every field: values, origins, locations (after the cross-file pass).
        assert one.subjects == ahead.subjects
        assert one.diagnostics == ahead.diagnostics
    assert final_one.subjects == final_ahead.subjects and final_one.diagnostics == final_ahead.diagnostics
    reused = [s for r in parsed_ahead for s in r.subjects if s.value("cert.key_reused")]
    chained = [s for r in parsed_ahead for s in r.subjects if s.value("chain.status") == "valid"]
    assert reused and chained  # the cross-file facts reached the adopted subjects


def test_a_file_that_fails_ahead_is_left_to_the_main_process(tmp_path: Path) -> None:
    context = ParseContext(at=AT)
    fifo = tmp_path / "pipe.pem"
    os.mkfifo(fifo)
    assert pki_files.read_ahead(str(fifo), context) is None
    assert pki_files.read_ahead(str(tmp_path / "missing.pem"), context) is None


def test_two_workers_print_what_one_process_prints(tree: Path) -> None:
    """The whole run: certificate files read ahead by workers, key files by the main process."""
    from conftest import run_subprocess

    common = ("check", "--format", "json", "--fail-on", "never", "--at", "2026-11-24", str(tree))
    one = run_subprocess(*common, "-j", "1")
    assert one.code == 0 and '"TLS-CHAIN-002"' in one.out and '"TLS-CERT-020"' in one.out, one.err
    two = run_subprocess(*common, "-j", "2")
    assert (two.code, two.out, two.err) == (one.code, one.out, one.err)


def test_described_facts_travel_as_their_field_values_without_the_parsed_certificate(tree: Path) -> None:
    """What a worker sends back pickles by position (FileFacts, CertInfo, CertEntry): every fact arrives equal."""
    for path in _walk(str(tree)):
        ahead = pki_files.read_ahead(path, ParseContext(at=AT))
        if ahead is None or not ahead.facts.infos:
            continue
        assert ahead.facts.infos[0].entry.cert is not None  # parsed again on use; must not travel
        copy = pickle.loads(pickle.dumps(ahead, pickle.HIGHEST_PROTOCOL))
        assert (copy.sha256, copy.size, copy.facts.path) == (ahead.sha256, ahead.size, path)
        assert copy.facts.hints == ahead.facts.hints and copy.facts.store == ahead.facts.store
        for sent, arrived in zip(ahead.facts.infos, copy.facts.infos, strict=True):
            assert arrived.entry._cert is None  # parsed again where it is needed
            assert repr(arrived.entry) == repr(sent.entry) and arrived.entry.der == sent.entry.der
            assert arrived._replace(entry=sent.entry) == sent
        assert b"__dict__" not in pickle.dumps(ahead.facts.infos[0]) and b"not_after" not in pickle.dumps(ahead)


@pytest.mark.parametrize("cls", [pki_files.Ahead, FileFacts, CertEntry])
def test_every_slot_of_a_class_pickled_by_hand_travels(cls: type) -> None:
    """A slot added later to a class with a hand-written __reduce__ must travel too (or be the parsed
    certificate, which is parsed again from the DER where it is needed)."""
    instance = cls.__new__(cls)
    for index, name in enumerate(cls.__slots__):
        setattr(instance, name, f"value {index}")
    copy = pickle.loads(pickle.dumps(instance, pickle.HIGHEST_PROTOCOL))
    travelled = {name: getattr(copy, name) for name in cls.__slots__}
    expected = {name: f"value {index}" for index, name in enumerate(cls.__slots__)}
    if cls is CertEntry:
        expected["_cert"] = None
    assert travelled == expected
