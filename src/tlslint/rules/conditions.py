"""Compile declarative rule conditions into Python predicates, once, at load time. No ``eval``.

A condition describes the *compliant* state. Evaluating it on a subject gives an :class:`Outcome`:
``PASS``, ``FAIL`` (with the offending value and where it was written), ``NA`` (not applicable: the
field is absent and the condition says ``missing: skip``, the default) or ``UNKNOWN`` (the field's
origin is ``unknown``). Neither of the last two ever becomes a finding: tlslint reports what it can
see and never guesses a value.

The two differ inside ``and``/``or``. An absent field is neutral — ``or: [main check, exemption]``
fails when the main check fails and the exemption is simply not written. An unknown value is
three-valued (Kleene): it cannot be assumed to pass or to fail, so ``or: [unknown, fail]`` is unknown
and ``and: [unknown, pass]`` is unknown, while ``and: [unknown, fail]`` still fails.

Operators compare with the field's declared type: ``versions`` by protocol order, ``seconds`` and
``bytes`` numerically. List quantifiers (``any``/``all``/``none``) look at each element, optionally
through a catalogue attribute (``{attr: pfs, equals: false}`` on a cipher-suite list).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum
from operator import ge as operator_ge
from operator import gt as operator_gt
from operator import le as operator_le
from operator import lt as operator_lt
from typing import Any

from tlslint.errors import ConfigError
from tlslint.model.fields import FieldSpec, fields_of
from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject
from tlslint.records import Frozen, Record

Params = dict[str, Any]


class Verdict(Enum):
    PASS = "pass"
    FAIL = "fail"
    NA = "not-applicable"  # the field is absent: nothing was written, so there is nothing to judge
    UNKNOWN = "unknown"  # the field exists but its value cannot be known statically

    # Members are singletons compared by identity: hashed by identity too, in C (Enum's hash is Python
    # code; the rule memo looks a verdict up for every remembered outcome).
    __hash__ = object.__hash__


class Outcome(Frozen):
    """What a condition says of one subject: its verdict, and what decided it."""

    __slots__ = ("verdict", "path", "located", "offending", "expected")

    verdict: Verdict
    path: str | None  # the field that decided
    located: Located[Any] | None  # its value and provenance
    offending: tuple[Any, ...]  # elements that broke the condition (for list operators)
    expected: str  # what the condition wanted, in words

    def __init__(
        self,
        verdict: Verdict,
        path: str | None = None,
        located: Located[Any] | None = None,
        offending: tuple[Any, ...] = (),
        expected: str = "",
    ) -> None:
        # Made for every (rule, subject): the slots' own setters, as tlslint.model.located explains.
        _set_verdict(self, verdict)
        _set_path(self, path)
        _set_located(self, located)
        _set_offending(self, offending)
        _set_expected(self, expected)

    @property
    def location(self) -> Location | None:
        """Where the finding points: the first offending list element when its place is known,
        otherwise the field's value."""
        located = self.located
        if located is None:
            return None
        if located.items:  # asked twice for every failure: most values have no item places to look through
            for element in self.offending:
                found = located.item_location(element)
                if found is not None:
                    return found
        return located.location


_set_verdict, _set_path, _set_located, _set_offending, _set_expected = (
    Outcome.__dict__[name].__set__ for name in ("verdict", "path", "located", "offending", "expected")
)

Predicate = Callable[[Subject, Params], Outcome]

LEAF_OPERATORS = (
    "equals",
    "not_equals",
    "in",
    "not_in",
    "any_in",
    "none_in",
    "subset_of",
    "gte",
    "lte",
    "gt",
    "lt",
    "matches",
    "not_matches",
    "exists",
    "length_gte",
    "length_lte",
    "any",
    "all",
    "none",
)


class CompileContext(Record):
    """What compiling one rule's conditions knows: the subject kind, the rule's place and parameters."""

    __slots__ = ("kind", "source", "params", "paths")

    def __init__(self, kind: str, source: Location, params: dict[str, Any], paths: list[str] | None = None) -> None:
        self.kind = kind
        self.source = source
        self.params = params
        self.paths: list[str] = [] if paths is None else paths  # every path the condition reads


def compile_condition(spec: dict[str, Any], context: CompileContext) -> Predicate:
    if "and" in spec:
        return _all_of([compile_condition(part, context) for part in spec["and"]])
    if "or" in spec:
        return _any_of([compile_condition(part, context) for part in spec["or"]])
    if "not" in spec:
        inner = compile_condition(spec["not"], context)
        return lambda subject, params: _negate(inner(subject, params))
    return _compile_leaf(spec, context)


#: The outcome of a combination whose parts are all absent (shared: outcomes are immutable).
_NOTHING_TO_JUDGE = Outcome(Verdict.NA)


def _all_of(parts: list[Predicate]) -> Predicate:
    """AND: the first failure fails (the parts after it are not evaluated); then the first unknown part
    makes it unknown; then the first pass passes; absent parts are neutral."""

    def predicate(subject: Subject, params: Params) -> Outcome:
        unknown = passed = None
        for part in parts:
            outcome = part(subject, params)
            verdict = outcome.verdict
            if verdict is Verdict.FAIL:
                return outcome
            if verdict is Verdict.UNKNOWN:
                unknown = unknown or outcome
            elif verdict is Verdict.PASS:
                passed = passed or outcome
        return unknown or passed or _NOTHING_TO_JUDGE

    return predicate


def _any_of(parts: list[Predicate]) -> Predicate:
    """OR: the first pass passes (the parts after it are not evaluated); then an unknown part makes it
    unknown — a branch that cannot be judged must not turn the alternative's failure into a finding;
    absent parts are neutral."""

    def predicate(subject: Subject, params: Params) -> Outcome:
        unknown = None
        failed: list[Outcome] = []
        for part in parts:
            outcome = part(subject, params)
            verdict = outcome.verdict
            if verdict is Verdict.PASS:
                return outcome
            if verdict is Verdict.UNKNOWN:
                unknown = unknown or outcome
            elif verdict is Verdict.FAIL:
                failed.append(outcome)
        if unknown is not None:
            return unknown
        if not failed:
            return _NOTHING_TO_JUDGE
        if len(failed) == 1:  # its own outcome: the words below would be its words
            return failed[0]
        expected = " or ".join(o.expected for o in failed if o.expected)
        return Outcome(Verdict.FAIL, failed[0].path, failed[0].located, failed[0].offending, expected)

    return predicate


def _negate(outcome: Outcome) -> Outcome:
    if outcome.verdict in (Verdict.NA, Verdict.UNKNOWN):
        return outcome
    flipped = Verdict.FAIL if outcome.verdict is Verdict.PASS else Verdict.PASS
    return Outcome(flipped, outcome.path, outcome.located, outcome.offending, f"not ({outcome.expected})")


def _compile_leaf(spec: dict[str, Any], context: CompileContext) -> Predicate:
    path = spec["path"]
    declared = fields_of(context.kind)
    if path not in declared:
        from tlslint.schemas import nearest

        suggestion = nearest(path, declared)
        hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
        raise ConfigError(context.source, f"unknown {context.kind} field '{path}'{hint}")
    context.paths.append(path)
    spec_field = declared[path]
    operators = [key for key in spec if key in LEAF_OPERATORS]
    if spec.get("defaults", "judge") not in ("judge", "skip"):
        raise ConfigError(context.source, f"condition on '{path}': defaults must be judge or skip")
    if len(operators) != 1:
        raise ConfigError(context.source, f"condition on '{path}' needs exactly one operator, found {operators}")
    operator = operators[0]
    operand = spec[operator]
    _check_param(operand, context)
    missing = spec.get("missing", "skip")
    if spec.get("defaults") == "skip":
        return _written_only(_compile_leaf({k: v for k, v in spec.items() if k != "defaults"}, context), path)
    if operator == "exists":
        return _exists(path, bool(operand))
    if operator in ("any", "all", "none"):
        for value in operand.values():
            _check_param(value, context)
        test = _element_test(operand, spec_field, context)
        return _quantifier(path, operator, test, _describe_element(operand), missing)
    compare = _comparison(operator, operand, spec_field, context)

    def describe(params: Params) -> str:
        return f"{path} set ({operator.replace('_', ' ')} {_show(resolve(operand, params))})"

    return _leaf(path, compare, describe, missing)


def _check_param(operand: Any, context: CompileContext) -> None:
    if isinstance(operand, dict) and "param" in operand and operand["param"] not in context.params:
        raise ConfigError(context.source, f"condition uses undeclared parameter '{operand['param']}'")
    if isinstance(operand, list):
        _check_names(operand, context)


def _check_names(items: list[Any], context: CompileContext) -> None:
    """A list operand names values, and YAML turns some unquoted names into something else: ``NULL``,
    ``null`` and ``~`` into no value, ``yes``, ``no``, ``on`` and ``off`` into booleans. Such an item
    never equals the name it was meant to be (a cipher list's ``NULL`` once matched no NULL suite), so
    the rule is refused until the item is quoted."""
    if any(item is None for item in items):
        raise ConfigError(
            context.source,
            "a list in a condition holds a null: YAML reads an unquoted NULL, null or ~ as no value; "
            'quote it ("NULL") to name it',
        )
    if any(type(item) is bool for item in items) and any(isinstance(item, str) for item in items):
        raise ConfigError(
            context.source,
            "a list in a condition mixes names and booleans: YAML reads an unquoted yes, no, on or off as a "
            'boolean; quote it ("off") to name it',
        )


def resolve(operand: Any, params: Params) -> Any:
    if isinstance(operand, dict) and "param" in operand:
        return params[operand["param"]]
    return operand


def _is_unknown(found: Located[Any] | None) -> bool:
    """A value that cannot be known statically is judged by no condition: never guessed, never assumed."""
    return found is not None and found.origin is Origin.UNKNOWN


#: The fields that make a subject partial (:func:`_partial`): read by conditions on any field.
PARTIAL_PATHS = ("source.partial", "source.no_tls")


def _partial(subject: Subject) -> bool:
    """Subjects whose absent fields are not "missing": a defaults file (.curlrc, .wgetrc) carries only what
    it writes, and a plaintext request that never reaches TLS (``source.no_tls``) has no TLS settings."""
    return subject.value("source.partial") is True or subject.get("source.no_tls") is not None


def _missing(path: str, missing: str, expected: str) -> Outcome:
    if missing == "pass":
        return Outcome(Verdict.PASS, path)
    if missing == "fail":
        return Outcome(Verdict.FAIL, path, None, (), expected)
    return Outcome(Verdict.NA, path)


def _written_only(inner: Predicate, path: str) -> Predicate:
    """``defaults: skip``: a value that is only the engine's default is not applicable — the rule is about
    what the input writes (a bounded library default is not a "missing" setting)."""

    def predicate(subject: Subject, params: Params) -> Outcome:
        found = subject.get(path)
        if found is not None and found.origin is Origin.DEFAULT:
            return Outcome(Verdict.NA, path)
        return inner(subject, params)

    return predicate


def _exists(path: str, want: bool) -> Predicate:
    def predicate(subject: Subject, params: Params) -> Outcome:
        found = subject.get(path)
        if _is_unknown(found):
            return Outcome(Verdict.UNKNOWN, path, found)
        present = found is not None and found.value is not None
        if not present and _partial(subject):
            return Outcome(Verdict.NA, path)
        ok = present == want
        expected = f"{path} is set" if want else f"{path} is not set"
        return Outcome(Verdict.PASS if ok else Verdict.FAIL, path, found, (), expected)

    return predicate


# A comparison returns (ok, offending elements, expected-in-words).
Comparison = Callable[[Any, Params], tuple[bool, tuple[Any, ...], str]]


def _leaf(path: str, compare: Comparison, describe: Callable[[Params], str], missing: str) -> Predicate:
    absent = None if missing == "fail" else _missing(path, missing, "")  # shared: outcomes are immutable
    not_applicable = Outcome(Verdict.NA, path)

    def predicate(subject: Subject, params: Params) -> Outcome:
        found = subject.fields.get(path)
        if found is not None and found.origin is Origin.UNKNOWN:
            return Outcome(Verdict.UNKNOWN, path, found)
        if found is None or found.value is None:
            if absent is not None:
                return absent
            if _partial(subject):
                return not_applicable
            return _missing(path, missing, describe(params))
        ok, offending, expected = compare(found.value, params)
        return Outcome(Verdict.PASS if ok else Verdict.FAIL, path, found, offending, expected)

    return predicate


def _ordering(spec_field: FieldSpec) -> Callable[[Any], Any]:
    if spec_field.type == "versions":
        from tlslint.catalog.versions import rank

        return rank
    return lambda value: value


def _show(value: Any) -> str:
    """A value in a condition's words, as a rule writes it: ``true``, not Python's ``True``."""
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_show(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _regex(operand: Any, context: CompileContext) -> re.Pattern[str]:
    try:
        return re.compile(operand)
    except re.error as error:
        raise ConfigError(context.source, f"invalid regular expression {operand!r}: {error}") from None


def _comparison(operator: str, operand: Any, spec_field: FieldSpec, context: CompileContext) -> Comparison:
    order = _ordering(spec_field)

    def as_list(value: Any) -> list[Any]:
        return list(value) if isinstance(value, list | tuple | set | frozenset) else [value]

    literal = not (isinstance(operand, dict) and "param" in operand)  # then its words are written once
    if operator in ("equals", "not_equals"):
        negate = operator == "not_equals"
        words = f"{'not ' if negate else ''}{_show(operand)}" if literal else None

        def compare(value: Any, params: Params) -> tuple[bool, tuple[Any, ...], str]:
            want = resolve(operand, params)
            ok = (value == want) != negate
            expected = words if words is not None else f"{'not ' if negate else ''}{_show(want)}"
            return ok, () if ok else (value,), expected

        return compare
    if operator in ("in", "not_in"):
        negate = operator == "not_in"
        listed = as_list(operand) if literal else None
        listed_words = f"{'none of' if negate else 'one of'} {_show(listed)}" if listed is not None else ""

        def compare(value: Any, params: Params) -> tuple[bool, tuple[Any, ...], str]:
            if listed is not None:
                ok = (value in listed) != negate
                return ok, () if ok else (value,), listed_words
            allowed = as_list(resolve(operand, params))
            ok = (value in allowed) != negate
            return ok, () if ok else (value,), f"{'none of' if negate else 'one of'} {_show(allowed)}"

        return compare
    if operator in ("any_in", "none_in", "subset_of"):

        def compare(value: Any, params: Params) -> tuple[bool, tuple[Any, ...], str]:
            listed = as_list(resolve(operand, params))
            items = as_list(value)
            if operator == "any_in":
                ok = any(item in listed for item in items)
                return ok, (), f"at least one of {_show(listed)}"
            if operator == "none_in":
                bad = tuple(item for item in items if item in listed)
                return not bad, bad, f"none of {_show(listed)}"
            bad = tuple(item for item in items if item not in listed)
            return not bad, bad, f"only {_show(listed)}"

        return compare
    if operator in ("gte", "lte", "gt", "lt"):
        test = {
            "gte": lambda a, b: a >= b,
            "lte": lambda a, b: a <= b,
            "gt": lambda a, b: a > b,
            "lt": lambda a, b: a < b,
        }[operator]
        words = {"gte": "at least", "lte": "at most", "gt": "more than", "lt": "less than"}[operator]

        def compare(value: Any, params: Params) -> tuple[bool, tuple[Any, ...], str]:
            bound = resolve(operand, params)
            bad = tuple(item for item in as_list(value) if not test(order(item), order(bound)))
            return not bad, bad, f"{words} {_show(bound)}"

        return compare
    if operator in ("length_gte", "length_lte"):

        def compare(value: Any, params: Params) -> tuple[bool, tuple[Any, ...], str]:
            bound = resolve(operand, params)
            size = len(as_list(value))
            ok = size >= bound if operator == "length_gte" else size <= bound
            words = "at least" if operator == "length_gte" else "at most"
            return ok, () if ok else (size,), f"{words} {bound} entries"

        return compare
    if operator in ("matches", "not_matches"):
        pattern = _regex(operand, context)
        negate = operator == "not_matches"

        def compare(value: Any, params: Params) -> tuple[bool, tuple[Any, ...], str]:
            bad = tuple(item for item in as_list(value) if bool(pattern.search(str(item))) == negate)
            return not bad, bad, f"{'not ' if negate else ''}matching {operand}"

        return compare
    raise ConfigError(context.source, f"unknown operator '{operator}'")


# --- list quantifiers over elements (with catalogue attributes) ------------------------------------


def _attribute_reader(spec_field: FieldSpec, attr: str | None, context: CompileContext) -> Callable[[Any], Any]:
    if attr is None:
        return lambda element: element
    lookup = _catalogue_lookup(spec_field, context)

    def read(element: Any) -> Any:
        entry = lookup(element)
        return None if entry is None else getattr(entry, attr, None)

    return read


def _catalogue_lookup(spec_field: FieldSpec, context: CompileContext) -> Callable[[Any], Any]:
    if spec_field.type == "suites":
        from tlslint.catalog.suites import lookup

        return lookup
    if spec_field.type == "groups":
        from tlslint.catalog.groups import lookup_group

        return lookup_group
    if spec_field.type == "sigalgs":
        from tlslint.catalog.sigalgs import lookup_sigalg

        return lookup_sigalg
    raise ConfigError(context.source, f"'attr' needs a suites, groups or sigalgs field, not {spec_field.type}")


def _element_test(spec: dict[str, Any], spec_field: FieldSpec, context: CompileContext) -> Callable[..., bool]:
    read = _attribute_reader(spec_field, spec.get("attr"), context)
    operators = [key for key in spec if key != "attr"]
    if len(operators) != 1:
        raise ConfigError(context.source, f"element condition needs exactly one operator, found {operators}")
    operator = operators[0]
    element_type = "versions" if spec.get("attr") == "min_version" else "str"
    holds = _scalar_test(operator, spec[operator], _ordering(FieldSpec(spec_field.path, element_type, "")), context)

    def test(element: Any, params: Params) -> bool:
        value = read(element)
        return value is not None and holds(value, params)

    if isinstance(spec[operator], dict) and "param" in spec[operator]:
        return test
    # A literal operand: the answer depends on the element alone, and the same few hundred suite,
    # group and algorithm names recur in every subject, so each is looked up and tested once per run.
    return _Remembered(test)


class _Remembered:
    """An element test whose answer depends on the element alone (a literal operand), remembered per
    element; :func:`_quantifier` also remembers whole lists for such tests."""

    __slots__ = ("answers", "test")

    def __init__(self, test: Callable[[Any, Params], bool]) -> None:
        self.test = test
        self.answers: dict[Any, bool] = {}

    def __call__(self, element: Any, params: Params) -> bool:
        try:
            return self.answers[element]
        except KeyError:
            self.answers[element] = answer = self.test(element, params)
            return answer
        except TypeError:  # an unhashable element (never in shipped fields): tested each time
            return self.test(element, params)


def _scalar_test(
    operator: str, operand: Any, order: Callable[[Any], Any], context: CompileContext
) -> Callable[[Any, Params], bool]:
    """A plain yes/no test of one value: the hot path of list quantifiers (one call per element per
    subject), so it builds no messages and precomputes what a literal operand allows."""
    literal = not (isinstance(operand, dict) and "param" in operand)
    if operator in ("equals", "not_equals"):
        negate = operator == "not_equals"
        return lambda value, params: (value == resolve(operand, params)) != negate
    if operator in ("in", "not_in"):
        negate = operator == "not_in"
        if literal:
            allowed = frozenset(operand) if isinstance(operand, list) else frozenset([operand])
            return lambda value, params: (value in allowed) != negate
        return lambda value, params: (value in resolve(operand, params)) != negate
    if operator in ("gte", "lte", "gt", "lt"):
        test = {"gte": operator_ge, "lte": operator_le, "gt": operator_gt, "lt": operator_lt}[operator]
        return lambda value, params: test(order(value), order(resolve(operand, params)))
    if operator in ("matches", "not_matches"):
        pattern = _regex(operand, context)
        negate = operator == "not_matches"
        return lambda value, params: bool(pattern.search(str(value))) != negate
    raise ConfigError(context.source, f"operator '{operator}' cannot test a single list element")


def _describe_element(spec: dict[str, Any]) -> str:
    parts = [f"{key} {_show(value)}" for key, value in spec.items() if key != "attr"]
    subject = spec.get("attr", "element")
    return f"{subject} {' '.join(parts)}"


def _quantifier(path: str, quantifier: str, test: Callable[..., bool], description: str, missing: str) -> Predicate:
    absent = _missing(path, missing, f"{quantifier} with {description}")  # shared: outcomes are immutable
    expected = {
        "all": f"every entry with {description}",
        "any": f"at least one with {description}",
        "none": f"no entry with {description}",
    }[quantifier]
    # With a literal operand the answer depends on the list alone, and endpoints that share settings
    # carry equal lists: each distinct list is judged once (the elements, in order, are the key).
    judged: dict[tuple[Any, ...], tuple[bool, tuple[Any, ...]]] | None = {} if isinstance(test, _Remembered) else None

    def judge(elements: list[Any] | tuple[Any, ...], params: Params) -> tuple[bool, tuple[Any, ...]]:
        if quantifier == "all":
            offending = tuple(e for e in elements if not test(e, params))
            return not offending, offending
        matching = tuple(e for e in elements if test(e, params))
        if quantifier == "any":
            return bool(matching), ()
        return not matching, matching

    def predicate(subject: Subject, params: Params) -> Outcome:
        found = subject.fields.get(path)
        if found is not None and found.origin is Origin.UNKNOWN:
            return Outcome(Verdict.UNKNOWN, path, found)
        if found is None or found.value is None:
            return absent
        value = found.value
        elements = value if isinstance(value, list | tuple) else [value]
        if judged is None:
            ok, offending = judge(elements, params)
        else:
            key = tuple(elements)
            try:
                ok, offending = judged[key]
            except KeyError:
                ok, offending = judge(elements, params)
                # Only lists of plain strings are remembered: an equal list of other types (1 and True
                # are equal keys) must not be answered with another list's offending elements.
                if len(judged) < MAX_JUDGED_LISTS and all(type(e) is str for e in elements):
                    judged[key] = ok, offending
            except TypeError:  # an unhashable element (never in shipped fields)
                ok, offending = judge(elements, params)
        return Outcome(Verdict.PASS if ok else Verdict.FAIL, path, found, offending, expected)

    return predicate


#: Distinct lists a quantifier remembers its answer for (a bound on memory, not on correctness).
MAX_JUDGED_LISTS = 4096
