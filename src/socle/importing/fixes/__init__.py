"""Fix rules: rewrite the cells a schema refuses into cells it accepts, when the rewriting is certain.

One module per rule, found through a registry (see :mod:`socle.importing.fixes.base`):

====================== ==========================================================================
``espaces``            spaces around a value and runs of spaces inside it
``enum-casse-accents`` a value of an ``enum`` list written with another case, accents or spacing
``booleen-francais``   oui/non, vrai/faux, o/n (and checkbox columns) in ``boolean`` fields
``nombre-francais``    ``26 956,00 €`` → ``26956.00`` in ``number`` and ``integer`` fields
``date-francaise``     ``08/09/2017``, ``2017/09/08``, ``2021-03-04 00:00:00`` → ``2017-09-08``
``intervalle-dates``   ``2017/09/08_2021/09/07`` → ``2017-09-08/2021-09-07`` where the pattern wants it
``siret-compact``      ``228 000 014 00016`` → ``22800001400016``
``code-insee``         ``1001`` → ``01001`` in an INSEE code field, only if the COG knows ``01001``
``date-excel``         Excel day numbers (``44197``) in a column made of them
====================== ==========================================================================

:func:`apply_fixes` runs them on a frame and logs every change and flag (see
:mod:`socle.importing.fixes._log` for the columns), :func:`revert_fixes` undoes a log,
:func:`count_by_rule` sums it up.
"""

from socle.importing.fixes._apply import (
    FixResult,
    apply_fixes,
    count_by_rule,
    revert_fixes,
    select_rules,
)
from socle.importing.fixes._judge import FieldJudge, Verdicts
from socle.importing.fixes._log import COUNT_SCHEMA, FIX_SCHEMA, FLAG_SCHEMA
from socle.importing.fixes.base import (
    FixContext,
    FixOutcome,
    FixRule,
    Goal,
    RuleRun,
    default_rules,
    load_registry,
    register,
    run_rule,
)

__all__ = [
    "COUNT_SCHEMA",
    "FIX_SCHEMA",
    "FLAG_SCHEMA",
    "FieldJudge",
    "FixContext",
    "FixOutcome",
    "FixResult",
    "FixRule",
    "Goal",
    "RuleRun",
    "Verdicts",
    "apply_fixes",
    "count_by_rule",
    "default_rules",
    "load_registry",
    "register",
    "revert_fixes",
    "run_rule",
    "select_rules",
]
