"""``--jobs``: recognising, parsing and evaluating in worker processes, with the output of one process.

The read stage's expensive half — working out what each discovered file is and parsing it
(:meth:`tlslint.reading.Reader.plan` and :meth:`~tlslint.reading.Reader.outcome`) — changes nothing the
run has gathered, so other processes can do it ahead. With ``-j N`` the main process is one of the N
and forks N - 1 helpers once discovery is done: they start with its configuration, rule packs, read
scope and caches, nothing is pickled on the way in. They take contiguous slices of the discovered
files and send back, per file, its plan and the parse of the file it leads to (for sources that keep
no state across files), plus what they read; the main process works out a share itself, since taking
a parse costs it about a third of parsing it (:func:`main_share`). It reads the files in discovery
order as always, taking each answer instead of working it out (:attr:`Reader.ahead`): which file was
already read, which fragment goes through its main file, the order of diagnostics and findings — all
decided in one place, so ``-j 2`` prints exactly what ``-j 1`` prints (``tests/foundation/test_jobs.py``).

Rule evaluation is split the same way once every file is read and linked (:func:`findings_by_rule`):
workers forked then evaluate every rule on a contiguous slice of the subjects, build the findings of
the failures and send them back with the counts; the main process merges them rule by rule in slice
order — the order of one process. A finding whose failing subjects fall in two slices (a value in a
shared include) is built again from all of them by the workers, which still hold every subject.

Workers are forked, so parallel work is for Linux; elsewhere the run stays in one process. If a
worker fails (killed by the system, an answer that cannot be sent back), the main process does the
remaining work itself: the output is the same, only slower.
"""

from __future__ import annotations

import os
import sys
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from tlslint import safe_read

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from tlslint.findings import Finding, GroupKey, SharedParts
    from tlslint.model.subject import Subject
    from tlslint.policy import Policy
    from tlslint.reading import Outcome, Plan, Reader
    from tlslint.rules.evaluate import Evaluation
    from tlslint.rules.model import Rule
    from tlslint.safe_read import FileRead

    Ahead = tuple[Plan, dict[tuple[str, str], Outcome]]

T = TypeVar("T")

#: Below this many files a run stays in one process unless ``--jobs`` asks otherwise: starting workers
#: and sending parses back costs more than it saves (a pre-commit run names a handful of files).
AUTO_MIN_FILES = 200

#: Slices per worker: enough for a worker that drew the large files not to hold up the others.
SLICES_PER_JOB = 4

#: Most files per parse batch. The main process takes the parses in discovery order and has its own
#: work on each (a certificate's subject, the run's bookkeeping): it waits for the first batch before it
#: starts, and the workers wait for it after the last. A quarter of 10,000 certificates per batch kept
#: it idle ~0.3 s at the start; 64 files are ~16 ms of certificates or ~0.1 s of nginx files.
PARSE_BATCH = 64


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

Key = tuple[str, str]  # (file to parse, source name)


def _parse_key(path: str, plan: Plan) -> Key | None:
    """What a worker may parse ahead for ``path``: the file its plan leads to (itself or its main file)
    with the plan's source, unless that source keeps state across files or cannot read ahead."""
    entry = plan.entry
    if plan.failure is not None or entry is None:
        return None
    if entry.by_content:  # certificates and keys: only a source that offers a stateless read ahead
        return (path, entry.name) if hasattr(entry.load(), "read_ahead") else None
    return None if entry.shares_state else (plan.main or path, entry.name)


def _reading(work: Callable[[], T]) -> tuple[T, dict[str, FileRead]]:
    """In a worker: ``work()`` and the files it read (their digests travel back: the renderers of the main
    process never open an input again)."""
    scope = safe_read.current()
    if scope is None:
        return work(), {}
    known = set(scope.reads)
    result = work()
    return result, {name: read for name, read in scope.reads.items() if name not in known}


def _plan_slice(paths: list[str]) -> tuple[list[tuple[str, Plan]], dict[str, FileRead]]:
    """In a worker: what each file is and which file it leads to (cheap), and the files read for it."""
    reader = _READER
    assert reader is not None  # set before the fork
    return _reading(lambda: [(path, reader.plan(path)) for path in paths])


def _parse_slice(keys: list[Key]) -> tuple[list[tuple[Key, Outcome | None]], dict[str, FileRead]]:
    """In a worker: parse each (file, source) once (None: left to the main process), and the files read."""
    from tlslint.sources import registry

    reader = _READER
    assert reader is not None  # set before the fork

    def parse(path: str, name: str) -> Outcome | None:
        entry = registry.by_name(name)
        return entry.load().read_ahead(path, reader.context) if entry.by_content else reader.outcome(path, entry)

    return _reading(lambda: [(key, parse(*key)) for key in keys])


def _batches(items: list, jobs: int, most: int | None = None) -> list[list]:
    size = max(1, -(-len(items) // (jobs * SLICES_PER_JOB)))
    if most is not None:
        size = min(size, most)
    return [items[start : start + size] for start in range(0, len(items), size)]


#: The main process's cost of taking a parse from a worker (unpickling it, and the bookkeeping it shares
#: with a parse of its own), and a worker's of sending one (pickling), as fractions of the parse itself:
#: measured on nginx files, ~0.3 and ~0.1. They decide the share of the files the main process parses.
TAKE_COST = 0.3
SEND_COST = 0.1


def main_share(jobs: int) -> float:
    """The fraction of the parses the main process does itself when ``jobs`` processes read a tree: one
    process is the main one, ``jobs - 1`` are helpers. Chosen so that both finish together: the main
    process parses its share and takes the helpers' parses of the rest (at :data:`TAKE_COST` each), while
    the helpers parse and send theirs (:data:`SEND_COST`). Two processes: ~0.44; four: ~0.06."""
    helpers = jobs - 1
    per_helper = (1 + SEND_COST) / helpers
    return max(0.0, (per_helper - TAKE_COST) / (1 - TAKE_COST + per_helper))


@contextmanager
def reading_ahead(reader: Reader, paths: list[str], jobs: int) -> Iterator[None]:
    """Within the block, ``reader`` takes its answers for ``paths`` from ``jobs - 1`` helper processes,
    and works out the rest itself, as one of the ``jobs`` processes.

    Two rounds: the helpers plan the files after the main process's share (cheap), which it plans
    meanwhile; the main process then asks for each file to parse once, in the order the files need them —
    a main file that twenty fragments include is parsed once, not once per helper that met a fragment.
    The first files of that order (:func:`main_share`) it parses itself as it reaches them, while the
    helpers parse the others: taking a parse from a helper costs the main process about a third of
    parsing it, so with every parse sent over, two processes read a tree hardly faster than one."""
    if jobs <= 1 or len(paths) < 2:
        yield
        return
    global _READER
    _READER = reader
    helpers = jobs - 1
    executor = _pool(helpers)
    try:
        own_plans = len(paths) // jobs
        try:
            theirs = executor.map(_plan_slice, _batches(paths[own_plans:], helpers))
            mine = [(path, reader.plan(path)) for path in paths[:own_plans]]  # while the helpers plan theirs
            planned = [(mine, {}), *theirs]
        except Exception:  # a helper killed, an answer that cannot be sent: the main process does it all
            planned = []
        answers = _Answers()
        keys: dict[Key, None] = {}  # in the order the files need them, each once
        for plans, reads in planned:
            answers.add_reads(reads)
            for path, plan in plans:
                answers.plans[path] = plan
                key = _parse_key(path, plan)
                if key is not None:
                    keys.setdefault(key)
        sent = list(keys)[round(len(keys) * main_share(jobs)) :]  # the main process parses the first ones
        answers.sent = set(sent)
        answers.results = executor.map(_parse_slice, _batches(sent, helpers, PARSE_BATCH)) if sent else None
        reader.ahead = answers.take
        yield
    finally:
        reader.ahead = lambda path: None
        _READER = None
        executor.shutdown(wait=True, cancel_futures=True)


class _Answers:
    """The helpers' plans and parses, taken in discovery order as the main process reaches each file."""

    def __init__(self) -> None:
        self.plans: dict[str, Plan] = {}
        self.outcomes: dict[Key, Outcome | None] = {}
        self.sent: set[Key] = set()  # parses asked of the helpers
        self.arrived: set[Key] = set()  # parses sent back, taken or not
        self.results: Iterator[tuple[list[tuple[Key, Outcome | None]], dict[str, FileRead]]] | None = None

    def add_reads(self, reads: dict[str, FileRead]) -> None:
        scope = safe_read.current()
        if scope is not None:
            scope.reads.update(reads)

    def take(self, path: str) -> Ahead | None:
        plan = self.plans.pop(path, None)
        if plan is None:
            return None
        key = _parse_key(path, plan)
        if key is not None and key not in self.sent:
            key = None  # the main process's own share: parsed as it is read
        # A key asked for again (a second fragment of a main file already read) was taken: never wait.
        while key is not None and key not in self.arrived and self.results is not None:
            try:
                outcomes, reads = next(self.results)
            except StopIteration:
                self.results = None
                break
            except Exception:  # a helper killed, an answer that cannot be sent: the main process parses the rest
                self.results = None
                break
            self.add_reads(reads)
            self.outcomes.update(outcomes)
            self.arrived.update(parsed for parsed, _outcome in outcomes)
        outcome = self.outcomes.pop(key, None) if key is not None else None
        return plan, ({key: outcome} if key is not None and outcome is not None else {})


#: What the forked evaluation workers evaluate (set just before the fork).
_EVALUATING: tuple[list[Rule], list[Subject], Policy] | None = None

#: Subjects per evaluation slice below which forking costs more than it saves.
MIN_SUBJECTS_PER_SLICE = 64

#: A worker's findings of one rule, compact (a large run has hundreds of thousands, and the main process
#: holds every worker's answer at once): each finding's group key as its hash (``_key_hash``), the number
#: of subjects that fail together in it, those subjects' indexes one after another, and the findings.
SliceFindings = tuple["array[int]", "array[int]", "array[int]", list["Finding"]]
#: A worker's answer for its slice: the findings by rule index, the passes and the applicable subjects by rule id.
SliceAnswer = tuple[dict[int, SliceFindings], dict[str, int], dict[str, int]]

_NO_FINDINGS: SliceFindings | tuple[()] = ((), (), (), ())


def _key_hash(key: GroupKey) -> int:
    """What a worker sends of a group key: its hash. Workers are forked from the main process, so equal
    strings hash alike in all of them. Two keys with the same hash only make the main process build
    the finding again from the failing subjects of both, which groups them by their real keys."""
    return hash(key)


class WorkersLost(Exception):
    """Evaluation workers failed after the main process let go of the subjects' fields (``release``):
    the run must start again in one process (:func:`tlslint.run.lint` does)."""


def findings_by_rule(
    rules: list[Rule],
    subjects: list[Subject],
    policy: Policy,
    counts: Evaluation,
    jobs: int,
    *,
    release: Callable[[list[Subject]], None] | None = None,
) -> Iterator[list[Finding]]:
    """Each rule's findings in turn, in rule order — :func:`tlslint.findings.build_findings` of the failures
    of :func:`tlslint.rules.evaluate.evaluate_by_rule` (no ledger) — evaluated and built by ``jobs``
    worker processes, each on a contiguous slice of the subjects. A finding whose failing subjects fall
    in two slices (a shared include's value, inherited by servers of both) is built again from all of
    them; every other finding is taken as its worker built it. The order is that of one process: rule by
    rule, then by each finding's first failing subject.

    ``release`` is called with the subjects once the workers are forked (each holds the subjects): the
    main process may then let go of what only evaluation reads, so that its memory holds the findings
    instead; ``subjects`` then holds copies of their identity (:func:`tlslint.survivors.copy_survivors`).
    If the workers fail after that, :class:`WorkersLost` is raised, since nothing is left here to
    evaluate. In one process, ``release`` is called a chunk of evaluated subjects at a time (see
    :func:`tlslint.rules.evaluate.findings_by_rule`)."""
    from tlslint.findings import SharedParts
    from tlslint.rules import evaluate

    slices = _slices(len(subjects), jobs * SLICES_PER_JOB)
    if jobs <= 1 or len(slices) < 2:
        yield from evaluate.findings_by_rule(rules, subjects, policy, counts, release=release)
        return
    global _EVALUATING
    _EVALUATING = (rules, subjects, policy)
    released = False
    try:
        with _pool(jobs) as executor:
            # map() submits every slice at once, and a pool of forked workers forks them all at the first
            # submission (CPython does, so that no worker is forked from a process running threads).
            answers = executor.map(_evaluate_slice, slices)
            if release is not None:
                from tlslint.survivors import copy_survivors

                identities = copy_survivors(subjects)  # before the settings go: see tlslint.survivors
                release(subjects)
                subjects[:] = identities
                released = True
            # For the findings of every rule: one id tuple per subject, and equal messages as one string
            # again (a worker's answer shares them only within its slice).
            ids: dict[int, tuple[str]] = {}
            shared = SharedParts()

            def restore(finding: Finding, rule: Rule, members: int | tuple[int, ...]) -> Finding:
                return _restored(finding, rule, members, subjects, ids, shared)

            by_rule = _merged(rules, list(answers), counts, executor, restore)
    except Exception as error:  # a worker killed, an answer that cannot be sent
        if released:
            raise WorkersLost from error
        yield from evaluate.findings_by_rule(rules, subjects, policy, counts, release=release)  # here (same output)
        return
    finally:
        _EVALUATING = None
    yield from by_rule


def _merged(
    rules: list[Rule],
    parts: list[SliceAnswer],
    counts: Evaluation,
    executor: Executor,
    restore: Callable[[Finding, Rule, int | tuple[int, ...]], Finding],
) -> list[list[Finding]]:
    """Per rule, the findings of every slice merged by group key in slice order (by the keys' hashes),
    each ``restore``d as soon as its rule is merged, and the findings that span slices built again by
    the workers (they still hold the subjects). A rule's findings are in the order of their first
    failing subject, as one process orders them. Only the findings of several subjects keep their
    subjects' indexes; the others keep their first subject's index in an array, for that order."""
    merged_by_rule: list[list[Finding | None]] = []
    firsts_by_rule: list[array[int]] = []
    spanning: list[tuple[int, int, tuple[int, ...]]] = []  # (rule index, position, failing subjects)
    for index, rule in enumerate(rules):
        at: dict[int, int] = {}  # key hash -> position in the rule's findings; let go of once merged
        found: list[Finding | None] = []
        firsts = array("q")  # each finding's first failing subject
        several: dict[int, tuple[int, ...]] = {}  # position -> failing subjects, where there are several
        for by_rule, passes, applicable in parts:
            hashes, sizes, flat, built = by_rule.pop(index, _NO_FINDINGS)  # dropped once merged
            offset = 0
            for digest, size, finding in zip(hashes, sizes, built, strict=True):
                position = at.get(digest)
                if position is None:
                    at[digest] = position = len(found)
                    found.append(finding)
                    firsts.append(flat[offset])
                    if size > 1:
                        several[position] = tuple(flat[offset : offset + size])
                else:  # failures in another slice with an equal key (or one hashing alike): built again
                    several[position] = several.get(position, (firsts[position],)) + tuple(flat[offset : offset + size])
                    found[position] = None
                offset += size
            if passes.get(rule.id):
                counts.passes[rule.id] += passes[rule.id]
            if applicable.get(rule.id):
                counts.applicable[rule.id] += applicable[rule.id]
        for position, finding in enumerate(found):
            if finding is None:
                spanning.append((index, position, several[position]))
            else:
                found[position] = restore(finding, rule, several.get(position, firsts[position]))
        merged_by_rule.append(found)
        firsts_by_rule.append(firsts)
    if spanning:
        split: set[int] = set()
        work = [(index, members) for index, _position, members in spanning]
        for (index, position, _members), groups in zip(spanning, executor.map(_rebuild, work), strict=True):
            found, firsts = merged_by_rule[index], firsts_by_rule[index]
            (members, finding), *others = groups
            found[position] = restore(finding, rules[index], members)
            for members, finding in others:  # keys that only hashed alike: findings of their own
                split.add(index)
                found.append(restore(finding, rules[index], members))
                firsts.append(_as_tuple(members)[0])
        for index in split:  # back in the order of their first failing subject
            found, firsts = merged_by_rule[index], firsts_by_rule[index]
            merged_by_rule[index] = [found[i] for i in sorted(range(len(found)), key=firsts.__getitem__)]
    return merged_by_rule  # type: ignore[return-value]  # every finding built and restored


def _as_tuple(members: int | tuple[int, ...]) -> tuple[int, ...]:
    return (members,) if type(members) is int else members  # type: ignore[return-value]


def _rebuild(work: tuple[int, tuple[int, ...]]) -> list[tuple[int | tuple[int, ...], Finding]]:
    """In a worker: the findings of a rule's failures on these subjects (of several slices), grouped by
    their keys — one finding, unless two keys only hashed alike — each with its failing subjects."""
    from tlslint.findings import Failure, finding_of, group_failures

    assert _EVALUATING is not None  # set before the fork
    rules, subjects, policy = _EVALUATING
    index, members = work
    rule = rules[index]
    severity, params = policy.severity_of(rule), policy.params_for(rule)
    failures = [Failure(rule, subjects[i], rule.check(subjects[i], params), severity, params) for i in members]
    position = {id(failure): i for failure, i in zip(failures, members, strict=True)}
    rebuilt: list[tuple[int | tuple[int, ...], Finding]] = []
    for group in group_failures(failures).values():
        indexes = tuple(position[id(failure)] for failure in group)
        finding = _for_travel(finding_of(group), group[0].subject)
        rebuilt.append((indexes[0] if len(indexes) == 1 else indexes, finding))
    return rebuilt


# A finding travels from a worker without what the main process holds already, so that it shares those
# objects again instead of keeping equal copies (hundreds of thousands in a large run): its rule's
# references, its subjects' ids, its location when that is its first subject's own, and its scope.


def _for_travel(finding: Finding, first: Subject) -> Finding:
    finding.references = ()
    finding.subjects = ()
    finding.scope = None
    if finding.location is first.location:
        finding.location = None  # type: ignore[assignment]  # restored by _restored
    return finding


def _restored(
    finding: Finding,
    rule: Rule,
    members: int | tuple[int, ...],
    subjects: list[Subject],
    ids: dict[int, tuple[str]],
    shared: SharedParts,
) -> Finding:
    """``finding`` as it was before it travelled (:func:`_for_travel`), sharing what the main process holds."""
    single = type(members) is int
    first_index = members if single else members[0]  # type: ignore[index]
    first = subjects[first_index]  # type: ignore[index]
    finding.references = rule.references
    finding.message = shared.message(finding.message)
    # As findings.finding_of names them; most findings have one subject (a certificate's, say), whose
    # one-id tuple ``ids`` keeps for the findings of every rule (as findings.SharedParts does).
    if single:
        anchors = ids.get(first_index)  # type: ignore[arg-type]
        if anchors is None:
            anchors = ids[first_index] = (first.id,)  # type: ignore[index]
        finding.subjects = anchors
    else:
        finding.subjects = tuple(dict.fromkeys(subjects[i].id for i in members))  # type: ignore[union-attr]
    if finding.location is None:  # it travelled without its first subject's own location
        finding.location = first.location
        finding.scope = first.scope
    else:
        finding.scope = first.scope if finding.location == first.location else None  # as findings.finding_of
    return finding


def _slices(count: int, jobs: int) -> list[tuple[int, int]]:
    size = max(MIN_SUBJECTS_PER_SLICE, -(-count // max(1, jobs)))
    return [(start, min(count, start + size)) for start in range(0, count, size)]


def _evaluate_slice(bounds: tuple[int, int]) -> SliceAnswer:
    """In a worker: every rule on ``subjects[start:stop]``, and the findings of its failures (by rule
    index), with the counts. Rules and subjects are not sent back; a finding's references neither (the
    main process has them)."""
    from tlslint.findings import SharedParts, finding_of, group_failures
    from tlslint.rules.evaluate import Evaluation, evaluate_by_rule

    assert _EVALUATING is not None  # set before the fork
    rules, subjects, policy = _EVALUATING
    start, stop = bounds
    part = subjects[start:stop]
    subject_index = {id(subject): start + offset for offset, subject in enumerate(part)}
    counts = Evaluation()
    by_rule: dict[int, SliceFindings] = {}
    shared = SharedParts()  # the subjects' parts, shared by the findings of every rule (and kept so in the answer)
    for index, failures in enumerate(evaluate_by_rule(rules, part, policy, counts)):
        if failures:
            shared.next_rule()
            hashes, sizes, flat, built = by_rule[index] = (array("q"), array("q"), array("q"), [])
            for key, group in group_failures(failures).items():
                hashes.append(_key_hash(key))
                sizes.append(len(group))
                flat.extend([subject_index[id(failure.subject)] for failure in group])
                built.append(_for_travel(finding_of(group, shared), group[0].subject))
    return by_rule, dict(counts.passes), dict(counts.applicable)
