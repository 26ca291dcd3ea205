"""``--jobs``: recognising, parsing and evaluating in worker processes, with the output of one process.

The read stage's expensive half — working out what each discovered file is and parsing it
(:meth:`tlslint.reading.Reader.plan` and :meth:`~tlslint.reading.Reader.outcome`) — changes nothing the
run has gathered, so workers can do it ahead. They are forked from the main process once discovery is
done: they start with its configuration, rule packs, read scope and caches, nothing is pickled on the
way in. Each takes a contiguous slice of the discovered files and sends back, per file, its plan and
the parse of the file it leads to (for sources that keep no state across files), plus what it read.
The main process then reads the files in discovery order as always, taking each answer instead of
working it out (:attr:`Reader.ahead`): which file was already read, which fragment goes through its main
file, the order of diagnostics and findings — all decided in one place, so ``-j 2`` prints exactly what
``-j 1`` prints (``tests/foundation/test_jobs.py``).

Rule evaluation is split the same way once every file is read and linked
(:func:`evaluate_by_rule`): workers forked then evaluate every rule on a contiguous slice of the subjects and
send back which subjects fail which rule (indexes) and the counts; the main process checks those few
pairs again for their outcomes and merges rule by rule in slice order — the order of one process.

Workers are forked, so parallel work is for Linux; elsewhere the run stays in one process. If the
pool breaks (a worker killed by the system), the main process does the remaining work itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from tlslint import safe_read

if TYPE_CHECKING:
    from tlslint.findings import Failure
    from tlslint.model.subject import Subject
    from tlslint.policy import Policy
    from tlslint.reading import Outcome, Plan, Reader
    from tlslint.rules.evaluate import Evaluation
    from tlslint.rules.model import Rule
    from tlslint.safe_read import FileRead

    Ahead = tuple[Plan, dict[tuple[str, str], Outcome]]

#: Below this many files a run stays in one process unless ``--jobs`` asks otherwise: starting workers
#: and sending parses back costs more than it saves (a pre-commit run names a handful of files).
AUTO_MIN_FILES = 200

#: Slices per worker: enough for a worker that drew the large files not to hold up the others.
SLICES_PER_JOB = 4


def can_fork() -> bool:
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _pool(jobs: int):  # type: ignore[no-untyped-def]
    """Forked workers (imported here: a one-file pre-commit run never pays for multiprocessing)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def jobs_for(requested: int | None, files: int) -> int:
    """Worker processes for a run over ``files`` files: ``requested`` (``--jobs``) when given, else the
    number of cores for a large tree; 1 (no workers) where processes cannot be forked."""
    wanted = max(1, requested) if requested is not None else cores() if files >= AUTO_MIN_FILES else 1
    if wanted == 1 or os.environ.get("TLSLINT_DEBUG") or not can_fork():  # debug: parser bugs raise here
        return 1
    return wanted


#: The reader the forked workers use (set just before the fork; each worker has its own copy).
_READER: Reader | None = None


def _work_ahead(paths: list[str]) -> tuple[list[tuple[str, Ahead]], dict[str, FileRead]]:
    """In a worker: each file's plan and the parse it leads to, and every file read on the way."""
    reader = _READER
    assert reader is not None  # set before the fork
    scope = safe_read.current()
    known = set(scope.reads) if scope is not None else set()
    parses: dict[tuple[str, str], Outcome] = {}  # a main file included by several fragments: parsed once
    answers = []
    for path in paths:
        plan = reader.plan(path)
        outcomes = {}
        entry = plan.entry
        if plan.failure is None and entry is not None and not entry.by_content and not entry.shares_state:
            key = (plan.main or path, entry.name)
            if key not in parses:
                parses[key] = reader.outcome(key[0], entry)
            outcomes[key] = parses[key]
        answers.append((path, (plan, outcomes)))
    reads = {name: read for name, read in scope.reads.items() if name not in known} if scope is not None else {}
    return answers, reads


@contextmanager
def reading_ahead(reader: Reader, paths: list[str], jobs: int) -> Iterator[None]:
    """Within the block, ``reader`` takes its answers for ``paths`` from ``jobs`` worker processes."""
    if jobs <= 1 or len(paths) < 2:
        yield
        return
    global _READER
    _READER = reader
    size = max(1, -(-len(paths) // (jobs * SLICES_PER_JOB)))
    slices = [paths[start : start + size] for start in range(0, len(paths), size)]
    executor = _pool(jobs)
    try:
        results = executor.map(_work_ahead, slices)
        reader.ahead = _Answers(results).take
        yield
    finally:
        reader.ahead = lambda path: None
        _READER = None
        executor.shutdown(wait=True, cancel_futures=True)


class _Answers:
    """The workers' answers, taken in discovery order as the main process reaches each file."""

    def __init__(self, results: Iterator[tuple[list[tuple[str, Ahead]], dict[str, FileRead]]]) -> None:
        self.results: Iterator[tuple[list[tuple[str, Ahead]], dict[str, FileRead]]] | None = results
        self.ready: dict[str, Ahead] = {}

    def take(self, path: str) -> Ahead | None:
        from concurrent.futures.process import BrokenProcessPool

        while path not in self.ready and self.results is not None:
            try:
                answers, reads = next(self.results)
            except StopIteration:
                self.results = None
                break
            except BrokenProcessPool:  # a worker was killed: the main process does the rest itself
                self.results = None
                break
            scope = safe_read.current()
            if scope is not None:
                scope.reads.update(reads)
            self.ready.update(answers)
        return self.ready.pop(path, None)


#: What the forked evaluation workers evaluate (set just before the fork).
_EVALUATING: tuple[list[Rule], list[Subject], Policy] | None = None

#: Subjects per evaluation slice below which forking costs more than it saves.
MIN_SUBJECTS_PER_SLICE = 64


def evaluate_by_rule(
    rules: list[Rule], subjects: list[Subject], policy: Policy, counts: Evaluation, jobs: int
) -> Iterator[list[Failure]]:
    """:func:`tlslint.rules.evaluate.evaluate_by_rule` (without a ledger) over ``jobs`` worker processes."""
    from tlslint.findings import Failure
    from tlslint.rules.evaluate import evaluate_by_rule

    slices = _slices(len(subjects), jobs)
    if jobs <= 1 or len(slices) < 2:
        yield from evaluate_by_rule(rules, subjects, policy, counts)
        return
    from concurrent.futures.process import BrokenProcessPool

    global _EVALUATING
    _EVALUATING = (rules, subjects, policy)
    try:
        with _pool(jobs) as executor:
            parts = list(executor.map(_evaluate_slice, slices))
    except BrokenProcessPool:  # a worker was killed: evaluate here instead
        yield from evaluate_by_rule(rules, subjects, policy, counts)
        return
    finally:
        _EVALUATING = None
    for index, rule in enumerate(rules):  # rule by rule, slice by slice: the order of one process
        severity, params = policy.severity_of(rule), policy.params_for(rule)
        failures = []
        for by_rule, passes, applicable in parts:
            # The check is run again here for the few subjects that fail it: sending outcomes back
            # (located values, offending elements) costs more than evaluating them twice.
            for subject in by_rule.get(index, ()):
                outcome = rule.check(subjects[subject], params)
                failures.append(Failure(rule, subjects[subject], outcome, severity, params))
            if passes.get(rule.id):
                counts.passes[rule.id] += passes[rule.id]
            if applicable.get(rule.id):
                counts.applicable[rule.id] += applicable[rule.id]
        yield failures


def _slices(count: int, jobs: int) -> list[tuple[int, int]]:
    size = max(MIN_SUBJECTS_PER_SLICE, -(-count // max(1, jobs)))
    return [(start, min(count, start + size)) for start in range(0, count, size)]


def _evaluate_slice(bounds: tuple[int, int]) -> tuple[dict[int, list[int]], dict[str, int], dict[str, int]]:
    """In a worker: every rule on ``subjects[start:stop]``. Failures go back as rule index -> subject
    indexes, so that neither rules, subjects nor outcomes travel."""
    from tlslint.rules.evaluate import Evaluation, evaluate_by_rule

    assert _EVALUATING is not None  # set before the fork
    rules, subjects, policy = _EVALUATING
    start, stop = bounds
    part = subjects[start:stop]
    subject_index = {id(subject): start + offset for offset, subject in enumerate(part)}
    counts = Evaluation()
    by_rule = {}
    for index, failures in enumerate(evaluate_by_rule(rules, part, policy, counts)):
        if failures:
            by_rule[index] = [subject_index[id(failure.subject)] for failure in failures]
    return by_rule, dict(counts.passes), dict(counts.applicable)
