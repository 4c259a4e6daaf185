"""Random sequences of port operations, as plain tuples hypothesis can shrink.

Indexes (experiment, run, name) are taken modulo what exists when the operation runs, so
every generated sequence is meaningful on any backend. Values favour the awkward: keys
with dots, spaces, dashes, slashes and unicode letters, and keys no run can carry (quotes,
backticks, a crafted filter clause); values with quotes of both kinds, backslashes,
unicode, emptiness and MLflow's 8000-character limit (and one past it). Values of the
wrong type are written too: metric values as numeric and non-numeric strings, ints, bools,
NaN and infinities; tag and param values as ints, bools and None.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from trackwright.domain.finding.query import ORDERABLE_ATTRIBUTES, OrderBy
from trackwright.domain.model import Metric, RunStatus

Operation = tuple[Any, ...]

TAG_KEYS = ["k", "a.b", "with space", "with-dash", "slash/key", "code.run_key_hash", "ключ 名前"]
ODD_KEYS = ["bad!key", "it's", 'say "k"', "back`tick", "k` = 'v' OR tags.`k", "tab\tkey"]
"""Keys no backend stores: writes and searches with them must fail alike everywhere."""
TAG_VALUES = [
    "",
    "v1",
    "v2",
    "it's",
    'say "hi"',
    "both ' and \"",
    "back\\slash",
    "ends\\",
    "ünïcødé ✓ 名前",
    "x" * 8000,
]
PARAM_KEYS = ["p", "lr", "p.q"]
PARAM_VALUES = ["0.1", "0.2", "", "y" * 6001]
METRIC_KEYS = ["m", "a.b"]
METRIC_VALUES = [0.0, 1.5, -3.25, 1e300, math.nan, math.inf, -math.inf]
ODD_METRIC_VALUES: list[Any] = [
    "0.5",
    " 1e3 ",
    "nan",
    "-inf",
    "1_000",
    "abc",
    "",
    None,
    3,
    2**80,
    True,
    False,
]
ODD_TEXT_VALUES: list[Any] = [5, 0.5, True, None]
RUN_NAMES = ["r", "trial_1", "a b", "ü"]

indexes = st.integers(min_value=0, max_value=7)
tag_keys = st.sampled_from(TAG_KEYS)
tag_values = st.one_of(st.sampled_from(TAG_VALUES), st.text(max_size=12))
written_tag_values = st.one_of(tag_values, st.just("z" * 8001))
odd_or_text = st.one_of(written_tag_values, written_tag_values, st.sampled_from(ODD_TEXT_VALUES))
tags = st.dictionaries(st.sampled_from([*TAG_KEYS, *ODD_KEYS]), odd_or_text, max_size=3)
params = st.dictionaries(
    st.sampled_from([*PARAM_KEYS, "odd`param"]),
    st.sampled_from([*PARAM_VALUES, *ODD_TEXT_VALUES]),
    max_size=2,
)
metric_values = st.one_of(
    st.sampled_from(METRIC_VALUES),
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(ODD_METRIC_VALUES),
    st.integers(-(2**60), 2**60),
)
metrics = st.lists(
    st.builds(
        Metric,
        key=st.sampled_from([*METRIC_KEYS, *METRIC_KEYS, "m`x", "μ metric"]),
        value=metric_values,
        step=st.integers(0, 3),
        timestamp=st.one_of(st.none(), st.integers(1, 5)),
    ),
    max_size=4,
)
statuses = st.sampled_from(list(RunStatus))
order_clauses = st.one_of(
    st.builds(
        OrderBy, st.sampled_from(sorted(ORDERABLE_ATTRIBUTES)), st.just("attribute"), st.booleans()
    ),
    st.builds(OrderBy, st.sampled_from(METRIC_KEYS), st.just("metric"), st.booleans()),
    st.builds(OrderBy, st.sampled_from(PARAM_KEYS), st.just("param"), st.booleans()),
    st.builds(OrderBy, tag_keys, st.just("tag"), st.booleans()),
)

create_experiment = st.tuples(st.just("create_experiment"), st.integers(0, 3))
create_run = st.tuples(
    st.just("create_run"),
    indexes,
    st.sampled_from(RUN_NAMES),
    tags,
    st.integers(0, 50),
    st.one_of(st.none(), indexes),
)
log_batch = st.tuples(
    st.just("log_batch"),
    indexes,
    st.dictionaries(st.sampled_from([*TAG_KEYS, *TAG_KEYS, *ODD_KEYS]), odd_or_text, max_size=3),
    params,
    metrics,
)
search_runs = st.tuples(
    st.just("search_runs"),
    st.lists(indexes, min_size=1, max_size=2),
    st.one_of(
        st.just({}),
        st.dictionaries(tag_keys, st.sampled_from(TAG_VALUES), max_size=2),
        st.dictionaries(st.sampled_from(ODD_KEYS), st.sampled_from(TAG_VALUES), max_size=1),
    ),
    st.one_of(st.just(frozenset()), st.frozensets(statuses, max_size=3)),
    st.one_of(st.none(), st.none(), indexes),
    st.sampled_from(["active", "active", "all", "deleted"]),
    st.lists(order_clauses, max_size=2, unique_by=lambda c: (c.kind, c.key)),
    st.one_of(st.none(), st.integers(1, 4)),
)
# Branches repeat to weigh them: most steps write or search runs.
operations = st.one_of(
    create_experiment,
    st.tuples(st.just("delete_experiment"), indexes),
    st.tuples(st.just("restore_experiment"), indexes),
    st.tuples(st.just("get_experiment_by_name"), st.integers(0, 3)),
    create_run,
    create_run,
    log_batch,
    log_batch,
    st.tuples(st.just("set_terminated"), indexes, statuses, st.integers(1, 10**6)),
    st.tuples(st.just("delete_run"), indexes),
    st.tuples(st.just("get_run"), indexes),
    search_runs,
    search_runs,
    search_runs,
)
sequences = st.tuples(
    st.lists(create_experiment, min_size=1, max_size=2),
    st.lists(create_run, min_size=1, max_size=4),
    st.lists(operations, min_size=3, max_size=20),
).map(lambda parts: [*parts[0], *parts[1], *parts[2]])
